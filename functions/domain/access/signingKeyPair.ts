import { generateKeyPairSync } from 'node:crypto';

export interface SigningKeyPair {
  /** PKCS#8 PEM: what the auth function and the CLI sign with. */
  privateKeyPem: string;
  /** SPKI PEM: what a CloudFront public key is made from. */
  publicKeyPem: string;
}

/** A new RSA key pair for CloudFront signed cookies and URLs. */
export function generateSigningKeyPair(modulusLength: number): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
