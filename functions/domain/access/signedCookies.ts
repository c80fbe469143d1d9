import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { InvalidPolicyError, parsePolicyJson, resourceMatches, type AccessPolicy } from './cloudFrontPolicy.js';

/** The cookie names CloudFront reads; a signed URL carries the same three as query parameters without the prefix. */
export const signedCookieNames = {
  policy: 'CloudFront-Policy',
  signature: 'CloudFront-Signature',
  keyPairId: 'CloudFront-Key-Pair-Id',
} as const;

export interface SignedPolicy {
  /** CloudFront's URL-safe base64 of the policy JSON. */
  policy: string;
  signature: string;
  keyPairId: string;
}

/** Public keys by key pair id: the key group's members. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/** From PEM or key objects, private or public: only the public half is kept. */
export const trustedKeysOf = (keys: Record<string, string | KeyObject>): TrustedKeys =>
  new Map(Object.entries(keys).map(([id, key]) => [id, createPublicKey(key)]));

export type AccessCheck = { allowed: true; policy: AccessPolicy } | { allowed: false; reason: string };

/** CloudFront's base64 writes `+` `=` `/` as `-` `_` `~`, so a value needs no escaping in a URL or a cookie. */
const fromCloudFrontBase64 = (text: string): Buffer => Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');

/** The three values from a request's cookies, or undefined when any is missing. */
export function signedPolicyFromCookies(cookies: Readonly<Record<string, string | undefined>>): SignedPolicy | undefined {
  const [policy, signature, keyPairId] = [
    cookies[signedCookieNames.policy],
    cookies[signedCookieNames.signature],
    cookies[signedCookieNames.keyPairId],
  ];
  return policy && signature && keyPairId ? { policy, signature, keyPairId } : undefined;
}

/** The policy a trusted key signed, or why not: unknown key, bad signature, not a policy. Dates are not checked here. */
export function verifySignedPolicy(signed: SignedPolicy, keys: TrustedKeys): AccessCheck {
  const key = keys.get(signed.keyPairId);
  if (!key) return { allowed: false, reason: `key pair ${signed.keyPairId} is not trusted (rotated away?)` };
  const json = fromCloudFrontBase64(signed.policy);
  // CloudFront's default signature: RSA with SHA-1 over the policy JSON as sent.
  if (!verify('RSA-SHA1', json, key, fromCloudFrontBase64(signed.signature)))
    return { allowed: false, reason: 'the signature does not match the policy' };
  try {
    return { allowed: true, policy: parsePolicyJson(json.toString('utf8')) };
  } catch (error) {
    if (error instanceof InvalidPolicyError) return { allowed: false, reason: error.message };
    throw error;
  }
}

/** Whether now lies inside the policy's dates, as CloudFront judges them (DateLessThan is exclusive). */
export function checkPolicyDates(policy: AccessPolicy, nowMs: number): AccessCheck {
  const nowSeconds = Math.floor(nowMs / 1000);
  if (nowSeconds >= policy.expiresAtEpochSeconds)
    return { allowed: false, reason: `expired at ${new Date(policy.expiresAtEpochSeconds * 1000).toISOString()}` };
  if (policy.notBeforeEpochSeconds !== undefined && nowSeconds <= policy.notBeforeEpochSeconds)
    return { allowed: false, reason: 'not valid yet' };
  return { allowed: true, policy };
}

/**
 * What CloudFront decides for a request to `url` (scheme, host, path and query) that carries `signed`:
 * a trusted signature, now inside the policy's dates, and a resource that matches the URL.
 */
export function checkSignedRequest(signed: SignedPolicy | undefined, url: string, keys: TrustedKeys, nowMs: number): AccessCheck {
  if (!signed) return { allowed: false, reason: 'no signed cookies' };
  const verified = verifySignedPolicy(signed, keys);
  if (!verified.allowed) return verified;
  const dated = checkPolicyDates(verified.policy, nowMs);
  if (!dated.allowed) return dated;
  if (!resourceMatches(verified.policy.resource, url))
    return { allowed: false, reason: `the policy covers ${verified.policy.resource}, not this URL` };
  return verified;
}
