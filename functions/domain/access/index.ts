export {
  grantOf,
  InvalidPolicyError,
  ownerResource,
  parsePolicyJson,
  policyJson,
  resourceMatches,
  shareResource,
  type AccessGrant,
  type AccessPolicy,
} from './cloudFrontPolicy.js';
export {
  checkPolicyDates,
  checkSignedRequest,
  signedCookieNames,
  signedPolicyFromCookies,
  trustedKeysOf,
  verifySignedPolicy,
  type AccessCheck,
  type SignedPolicy,
  type TrustedKeys,
} from './signedCookies.js';
export { generateSigningKeyPair } from './signingKeyPair.js';
