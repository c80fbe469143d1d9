import { generateKeyPairSync } from 'node:crypto';
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSignedRequest,
  grantOf,
  InvalidPolicyError,
  parsePolicyJson,
  policyJson,
  resourceMatches,
  shareResource,
  signedPolicyFromCookies,
  trustedKeysOf,
} from '../../../../functions/domain/access/index.js';

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const privateKey = pem();
const keys = trustedKeysOf({ K1: privateKey });
const site = 'https://d111111abcdef8.cloudfront.net';
const nowMs = Date.UTC(2026, 11, 3, 12);
const epoch = (offsetSeconds: number) => Math.floor(nowMs / 1000) + offsetSeconds;
const itemId = 'a'.repeat(32);
/** The SDK's output as a browser would send it back: name=value pairs. */
const sdkCookies = (cookies: ReturnType<typeof getSignedCookies>): Record<string, string> =>
  Object.fromEntries(Object.entries(cookies).map(([name, value]) => [name, String(value)]));

describe('CloudFront signed cookies, checked as CloudFront checks them', () => {
  it('accepts what the AWS SDK signer makes from its own parameters, within its dates and resource only', () => {
    const cookies = getSignedCookies({
      url: `${site}/items/${itemId}/*`,
      dateLessThan: new Date(nowMs + 3600_000),
      dateGreaterThan: new Date(nowMs - 60_000),
      keyPairId: 'K1',
      privateKey,
    });
    const signed = signedPolicyFromCookies(sdkCookies(cookies));
    expect(checkSignedRequest(signed, `${site}/items/${itemId}/manifest.json`, keys, nowMs)).toMatchObject({
      allowed: true,
      policy: { resource: `${site}/items/${itemId}/*`, expiresAtEpochSeconds: epoch(3600), notBeforeEpochSeconds: epoch(-60) },
    });
    expect(checkSignedRequest(signed, `${site}/items/${'b'.repeat(32)}/manifest.json`, keys, nowMs)).toMatchObject({ allowed: false });
    expect(checkSignedRequest(signed, `${site}/api/items`, keys, nowMs)).toMatchObject({ allowed: false });
    expect(checkSignedRequest(signed, `${site}/items/${itemId}/manifest.json`, keys, nowMs + 3600_000)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('expired'),
    });
    expect(checkSignedRequest(signed, `${site}/items/${itemId}/manifest.json`, keys, nowMs - 120_000)).toMatchObject({
      allowed: false,
      reason: 'not valid yet',
    });
  });

  it('refuses an unknown key, another key’s signature, a changed policy and missing cookies', () => {
    const cookies = getSignedCookies({
      policy: policyJson({ resource: `${site}/*`, expiresAtEpochSeconds: epoch(600) }),
      keyPairId: 'K1',
      privateKey,
    });
    const signed = signedPolicyFromCookies(sdkCookies(cookies))!;
    expect(checkSignedRequest(signed, `${site}/api/items`, keys, nowMs).allowed).toBe(true);
    expect(checkSignedRequest({ ...signed, keyPairId: 'K2' }, `${site}/api/items`, keys, nowMs)).toMatchObject({
      reason: expect.stringContaining('not trusted'),
    });
    expect(checkSignedRequest(signed, `${site}/api/items`, trustedKeysOf({ K1: pem() }), nowMs)).toMatchObject({
      reason: 'the signature does not match the policy',
    });
    const longer = getSignedCookies({
      policy: policyJson({ resource: `${site}/*`, expiresAtEpochSeconds: epoch(60_000) }),
      keyPairId: 'K1',
      privateKey: pem(),
    });
    expect(checkSignedRequest({ ...signed, policy: longer['CloudFront-Policy']! }, `${site}/api/items`, keys, nowMs)).toMatchObject({
      allowed: false,
    });
    expect(checkSignedRequest(signedPolicyFromCookies({ 'CloudFront-Policy': signed.policy }), `${site}/`, keys, nowMs)).toMatchObject({
      reason: 'no signed cookies',
    });
  });

  it('matches resources with CloudFront’s wildcards, and nothing looser', () => {
    expect(resourceMatches(`${site}/*`, `${site}/api/items?cursor=x`)).toBe(true);
    expect(resourceMatches(`${site}/items/?/a`, `${site}/items/x/a`)).toBe(true);
    expect(resourceMatches(`${site}/items/?/a`, `${site}/items/xy/a`)).toBe(false);
    // A dot is a dot: d111111abcdef8xcloudfront.net is another host.
    expect(resourceMatches(`${site}/*`, 'https://d111111abcdef8xcloudfront.net/api')).toBe(false);
    expect(resourceMatches(`${site}/items/${itemId}/*`, `${site}/items/${itemId}`)).toBe(false);
  });

  it('round-trips a policy, and names the grant it is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.option(fc.integer({ min: 0, max: 2 ** 31 }), { nil: undefined }),
        (expires, notBefore) => {
          const policy = {
            resource: `${site}/*`,
            expiresAtEpochSeconds: expires,
            ...(notBefore === undefined ? {} : { notBeforeEpochSeconds: notBefore }),
          };
          expect(parsePolicyJson(policyJson(policy))).toEqual(policy);
        },
      ),
    );
    expect(grantOf({ resource: `${site}/*`, expiresAtEpochSeconds: 1 }, site, 'items/')).toEqual({ kind: 'owner' });
    expect(grantOf({ resource: shareResource(site, 'items/', itemId), expiresAtEpochSeconds: 1 }, site, 'items/')).toEqual({
      kind: 'share',
      itemId,
    });
    expect(grantOf({ resource: `${site}/items/*`, expiresAtEpochSeconds: 1 }, site, 'items/')).toBeUndefined();
    expect(grantOf({ resource: 'https://elsewhere.example/*', expiresAtEpochSeconds: 1 }, site, 'items/')).toBeUndefined();
    expect(() => shareResource(site, 'items/', '../api')).toThrow(InvalidPolicyError);
    expect(() => parsePolicyJson('{"Statement":[]}')).toThrow('exactly one statement');
    expect(() => parsePolicyJson('{"Statement":[{"Resource":"x","Condition":{}}]}')).toThrow('no DateLessThan');
  });
});
