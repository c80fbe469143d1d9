import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { generateSigningKeyPair } from '../../../../functions/domain/access/index.js';

describe('generateSigningKeyPair', () => {
  const { signingKeyBits } = pipelineConfig.access;
  const pair = generateSigningKeyPair(signingKeyBits);

  it('gives a PEM private key and the PEM public key CloudFront takes, of the configured size', () => {
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(pair.publicKeyPem).not.toContain('PRIVATE');
    const publicKey = createPublicKey(pair.publicKeyPem);
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(signingKeyBits);
  });

  it('pairs the halves: the public key verifies what the private key signs (RSA-SHA1, as CloudFront signs policies), and nothing else', () => {
    const policy = Buffer.from('{"Statement":[{"Resource":"https://d123.cloudfront.net/*"}]}');
    const signature = sign('RSA-SHA1', policy, createPrivateKey(pair.privateKeyPem));
    expect(verify('RSA-SHA1', policy, pair.publicKeyPem, signature)).toBe(true);
    expect(verify('RSA-SHA1', Buffer.from('another policy'), pair.publicKeyPem, signature)).toBe(false);
    expect(verify('RSA-SHA1', policy, generateSigningKeyPair(signingKeyBits).publicKeyPem, signature)).toBe(false);
  });
});
