import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import type { PolicySigner } from '../../stages/access/index.js';

/** Signs custom policies with the private key of the distribution's trusted key group, as CloudFront expects them. */
export function cloudFrontSigner(keyPairId: string, privateKeyPem: string): PolicySigner {
  return {
    sign(policy) {
      const cookies = getSignedCookies({ policy, keyPairId, privateKey: privateKeyPem });
      const encodedPolicy = cookies['CloudFront-Policy'];
      if (!encodedPolicy) throw new Error('the CloudFront signer returned no policy for a custom policy');
      return { policy: encodedPolicy, signature: cookies['CloudFront-Signature'], keyPairId: cookies['CloudFront-Key-Pair-Id'] };
    },
  };
}
