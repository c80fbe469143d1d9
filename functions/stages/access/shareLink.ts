import { ownerResource, policyJson, shareResource, type SignedPolicy } from '../../domain/access/index.js';
import { pipelineConfig } from '../../config/index.js';
import type { PolicySigner } from './types.js';

/** Share links carry the cookies' three values as CloudFront's signed-URL query parameters. */
export const shareQueryNames = { policy: 'Policy', signature: 'Signature', keyPairId: 'Key-Pair-Id' } as const;

/** A request for a share the rules do not allow. */
export class InvalidShareError extends Error {
  override readonly name = 'InvalidShareError';
}

/**
 * A link that opens one item until `expiresInSeconds` from now: /auth/share turns it into
 * signed cookies whose policy covers items/<itemId>/* and nothing else.
 */
export function createShareLink(
  itemId: string,
  expiresInSeconds: number,
  options: { siteOrigin: string; signer: PolicySigner; nowMs: number },
): { url: string; expiresAt: string } {
  const { minShareSeconds, maxShareSeconds } = pipelineConfig.access;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < minShareSeconds || expiresInSeconds > maxShareSeconds)
    throw new InvalidShareError(
      `a share lasts from ${minShareSeconds} s to ${maxShareSeconds} s (${maxShareSeconds / 86_400} days), not ${expiresInSeconds}`,
    );
  let resource: string;
  try {
    resource = shareResource(options.siteOrigin, pipelineConfig.prefixes.items, itemId);
  } catch (error) {
    throw new InvalidShareError(error instanceof Error ? error.message : String(error));
  }
  const expiresAtEpochSeconds = Math.floor(options.nowMs / 1000) + expiresInSeconds;
  const signed = options.signer.sign(policyJson({ resource, expiresAtEpochSeconds }));
  const query = new URLSearchParams({
    [shareQueryNames.policy]: signed.policy,
    [shareQueryNames.signature]: signed.signature,
    [shareQueryNames.keyPairId]: signed.keyPairId,
  });
  return {
    url: `${options.siteOrigin}${pipelineConfig.access.routePrefix}share?${query}`,
    expiresAt: new Date(expiresAtEpochSeconds * 1000).toISOString(),
  };
}

/** The owner's grant, the whole site for `seconds`: what a sign-in hands out, and what the CLI signs for its own API calls. */
export function signOwnerSession(signer: PolicySigner, siteOrigin: string, seconds: number, nowMs: number): SignedPolicy {
  return signer.sign(policyJson({ resource: ownerResource(siteOrigin), expiresAtEpochSeconds: Math.floor(nowMs / 1000) + seconds }));
}
