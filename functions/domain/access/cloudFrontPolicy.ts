/**
 * CloudFront's custom policy, as signed cookies and signed URLs carry it
 * (one statement: a resource with `*`/`?` wildcards, an expiry, an optional
 * start): https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-setting-signed-cookie-custom-policy.html
 */
export interface AccessPolicy {
  /** A URL pattern: `*` stands for any run of characters, `?` for one. */
  resource: string;
  expiresAtEpochSeconds: number;
  notBeforeEpochSeconds?: number;
}

/** A policy that is not CloudFront's custom-policy JSON. */
export class InvalidPolicyError extends Error {
  override readonly name = 'InvalidPolicyError';
}

/** What the grant lets its holder see, read from the resource it covers. */
export type AccessGrant = { kind: 'owner' } | { kind: 'share'; itemId: string };

const itemIdPattern = /^[0-9a-f]{32}$/;

/** The owner's session: everything the distribution serves. */
export const ownerResource = (siteOrigin: string): string => `${siteOrigin}/*`;

/** A share: one item's files (manifest and previews) and nothing else. */
export function shareResource(siteOrigin: string, itemsPrefix: string, itemId: string): string {
  if (!itemIdPattern.test(itemId)) throw new InvalidPolicyError(`'${itemId}' is not an item id (32 lowercase hex digits)`);
  return `${siteOrigin}/${itemsPrefix}${itemId}/*`;
}

/** The JSON CloudFront signs and checks, keys in the order its documentation gives them. */
export function policyJson(policy: AccessPolicy): string {
  const condition = {
    DateLessThan: { 'AWS:EpochTime': policy.expiresAtEpochSeconds },
    ...(policy.notBeforeEpochSeconds === undefined ? {} : { DateGreaterThan: { 'AWS:EpochTime': policy.notBeforeEpochSeconds } }),
  };
  return JSON.stringify({ Statement: [{ Resource: policy.resource, Condition: condition }] });
}

export function parsePolicyJson(text: string): AccessPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidPolicyError('the policy is not JSON');
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) || statements.length !== 1) throw new InvalidPolicyError('a policy has exactly one statement');
  const { Resource: resource, Condition: condition } = statements[0] as { Resource?: unknown; Condition?: Record<string, unknown> };
  if (typeof resource !== 'string' || resource === '') throw new InvalidPolicyError('the statement names no resource');
  const epoch = (name: string): number | undefined => {
    const value = (condition?.[name] as { 'AWS:EpochTime'?: unknown } | undefined)?.['AWS:EpochTime'];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new InvalidPolicyError(`${name} is not a whole number of seconds`);
    return value;
  };
  const expiresAtEpochSeconds = epoch('DateLessThan');
  if (expiresAtEpochSeconds === undefined) throw new InvalidPolicyError('the statement has no DateLessThan');
  const notBeforeEpochSeconds = epoch('DateGreaterThan');
  return { resource, expiresAtEpochSeconds, ...(notBeforeEpochSeconds === undefined ? {} : { notBeforeEpochSeconds }) };
}

/** CloudFront's wildcard match of a resource pattern against the whole request URL (query string included). */
export function resourceMatches(resource: string, url: string): boolean {
  const pattern = resource
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's').test(url);
}

/** Which grant a policy is, for this site; undefined for a resource this site never signs. */
export function grantOf(policy: AccessPolicy, siteOrigin: string, itemsPrefix: string): AccessGrant | undefined {
  if (policy.resource === ownerResource(siteOrigin)) return { kind: 'owner' };
  const sharePrefix = `${siteOrigin}/${itemsPrefix}`;
  if (!policy.resource.startsWith(sharePrefix) || !policy.resource.endsWith('/*')) return undefined;
  const itemId = policy.resource.slice(sharePrefix.length, -2);
  return itemIdPattern.test(itemId) ? { kind: 'share', itemId } : undefined;
}
