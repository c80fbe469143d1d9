import { parse as parseCookies } from 'cookie';
import {
  checkPolicyDates,
  grantOf,
  signedPolicyFromCookies,
  verifySignedPolicy,
  type AccessGrant,
  type AccessPolicy,
  type SignedPolicy,
} from '../../domain/access/index.js';
import { pipelineConfig } from '../../config/index.js';
import { clearedSignedCookies, clearedSignInCookie, signedCookies, signInCookieValue } from './accessCookies.js';
import { json, page, redirect } from './authPages.js';
import { createShareLink, InvalidShareError, shareQueryNames, signOwnerSession } from './shareLink.js';
import type { AccessDeps, AuthRequest, AuthResponse, SignInChallenge } from './types.js';

const { access, prefixes } = pipelineConfig;
const route = (name: string) => `${access.routePrefix}${name}`;
export const authRoutes = {
  login: route('login'),
  callback: route('callback'),
  logout: route('logout'),
  signedOut: route('signed-out'),
  session: route('session'),
  shares: route('shares'),
  share: route('share'),
} as const;

interface PendingSignIn extends SignInChallenge {
  next: string;
}

/**
 * The sign-in flow and share links: the only routes CloudFront serves without
 * signed cookies, besides the static viewer. They hand out the cookies
 * CloudFront then checks on items/* and /api/*.
 */
export async function routeAuthRequest(request: AuthRequest, deps: AccessDeps): Promise<AuthResponse> {
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  if (request.path === authRoutes.login && isGet) return startSignIn(request, deps);
  if (request.path === authRoutes.callback && isGet) return finishSignIn(request, deps);
  if (request.path === authRoutes.logout && isGet) return signOut(deps);
  if (request.path === authRoutes.signedOut && isGet)
    return page(200, 'Signed out', 'You are signed out of this gallery.', { href: authRoutes.login, text: 'Sign in again' });
  if (request.path === authRoutes.session && isGet) return describeSession(request, deps);
  if (request.path === authRoutes.shares && request.method === 'POST') return createShare(request, deps);
  if (request.path === authRoutes.share && isGet) return openShare(request, deps);
  return json(404, { error: `no route ${request.method} ${request.path}` });
}

async function startSignIn(request: AuthRequest, deps: AccessDeps): Promise<AuthResponse> {
  const { url, challenge } = await deps.provider.startSignIn(`${deps.siteOrigin}${authRoutes.callback}`);
  const pending: PendingSignIn = { ...challenge, next: safeReturnPath(request.query.next) };
  const cookie = signInCookieValue(Buffer.from(JSON.stringify(pending)).toString('base64url'), {
    secure: deps.secureCookies,
    maxAgeSeconds: access.signInSeconds,
  });
  return redirect(url, [cookie]);
}

async function finishSignIn(request: AuthRequest, deps: AccessDeps): Promise<AuthResponse> {
  const startOver = { href: authRoutes.login, text: 'Sign in again' };
  const pending = readPendingSignIn(request.cookieHeader);
  if (!pending)
    return page(
      400,
      'Sign-in expired',
      `This sign-in started more than ${access.signInSeconds / 60} minutes ago, or in another browser.`,
      startOver,
    );
  if (request.query.error)
    return page(403, 'Sign-in refused', `The provider said: ${request.query.error_description ?? request.query.error}.`, startOver, [
      clearedSignInCookie(deps.secureCookies),
    ]);
  const callbackUrl = new URL(`${deps.siteOrigin}${authRoutes.callback}?${new URLSearchParams(definedEntries(request.query))}`);
  let identity;
  try {
    identity = await deps.provider.finishSignIn(callbackUrl, pending);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return page(403, 'Sign-in failed', `The provider's answer did not verify (${reason}).`, startOver, [
      clearedSignInCookie(deps.secureCookies),
    ]);
  }
  if (!isAllowed(identity.email, identity.emailVerified, deps.allowedEmails))
    return page(
      403,
      'Not allowed in',
      `${identity.email ?? identity.subject} may not see this gallery; ask its owner to add you.`,
      startOver,
      [clearedSignInCookie(deps.secureCookies)],
    );
  const signed = signOwnerSession(deps.signer, deps.siteOrigin, access.sessionSeconds, deps.now());
  return redirect(pending.next, [
    ...signedCookies(signed, { secure: deps.secureCookies, maxAgeSeconds: access.sessionSeconds }),
    clearedSignInCookie(deps.secureCookies),
  ]);
}

/** Signed cookies cannot be revoked: this clears them from this browser, and the provider's own session after it. */
function signOut(deps: AccessDeps): AuthResponse {
  return redirect(deps.providerLogoutUrl ?? authRoutes.signedOut, clearedSignedCookies(deps.secureCookies));
}

function describeSession(request: AuthRequest, deps: AccessDeps): AuthResponse {
  const session = currentSession(signedPolicyFromCookies(cookiesOf(request.cookieHeader)), deps);
  if (!session) return json(401, { signInUrl: authRoutes.login });
  const expiresAt = new Date(session.policy.expiresAtEpochSeconds * 1000).toISOString();
  return json(
    200,
    session.grant.kind === 'owner' ? { mode: 'owner', expiresAt } : { mode: 'share', itemId: session.grant.itemId, expiresAt },
  );
}

function createShare(request: AuthRequest, deps: AccessDeps): AuthResponse {
  const session = currentSession(signedPolicyFromCookies(cookiesOf(request.cookieHeader)), deps);
  if (session?.grant.kind !== 'owner') return json(403, { error: 'only the signed-in owner may share items' });
  let body: { itemId?: unknown; expiresInSeconds?: unknown };
  try {
    body = JSON.parse(Buffer.from(request.body ?? []).toString('utf8')) as typeof body;
  } catch {
    return json(400, { error: 'the body must be JSON: {"itemId": "…", "expiresInSeconds": 604800}' });
  }
  const expiresInSeconds = body.expiresInSeconds ?? access.defaultShareSeconds;
  try {
    if (typeof body.itemId !== 'string' || typeof expiresInSeconds !== 'number')
      throw new InvalidShareError('itemId must be a string and expiresInSeconds a number');
    return json(
      200,
      createShareLink(body.itemId, expiresInSeconds, { siteOrigin: deps.siteOrigin, signer: deps.signer, nowMs: deps.now() }),
    );
  } catch (error) {
    if (error instanceof InvalidShareError) return json(400, { error: error.message });
    throw error;
  }
}

/** A share link's values become this browser's cookies, and the viewer opens the item. */
function openShare(request: AuthRequest, deps: AccessDeps): AuthResponse {
  const [policy, signature, keyPairId] = [
    request.query[shareQueryNames.policy],
    request.query[shareQueryNames.signature],
    request.query[shareQueryNames.keyPairId],
  ];
  const home = { href: '/', text: 'Open the gallery' };
  const refused = (why: string) => page(403, 'This link does not open anything', why, home);
  if (!policy || !signature || !keyPairId) return refused('The link is incomplete; copy all of it.');
  const signed = { policy, signature, keyPairId };
  const verified = verifySignedPolicy(signed, deps.trustedKeys);
  if (!verified.allowed) return refused(`It was not signed by this gallery (${verified.reason}).`);
  const grant = grantOf(verified.policy, deps.siteOrigin, prefixes.items);
  if (grant?.kind !== 'share') return refused('It is not a link to one item.');
  const dated = checkPolicyDates(verified.policy, deps.now());
  if (!dated.allowed)
    return page(410, 'This link has expired', `It ${dated.reason.replace(/^expired at/, 'expired on')}; ask for a new one.`, home);
  const maxAgeSeconds = verified.policy.expiresAtEpochSeconds - Math.floor(deps.now() / 1000);
  return redirect(`/#item=${grant.itemId}`, signedCookies(signed, { secure: deps.secureCookies, maxAgeSeconds }));
}

/** The grant the request's cookies hold now, checked as CloudFront checks them. */
function currentSession(signed: SignedPolicy | undefined, deps: AccessDeps): { grant: AccessGrant; policy: AccessPolicy } | undefined {
  if (!signed) return undefined;
  const verified = verifySignedPolicy(signed, deps.trustedKeys);
  if (!verified.allowed || !checkPolicyDates(verified.policy, deps.now()).allowed) return undefined;
  const grant = grantOf(verified.policy, deps.siteOrigin, prefixes.items);
  return grant ? { grant, policy: verified.policy } : undefined;
}

function readPendingSignIn(cookieHeader: string | undefined): PendingSignIn | undefined {
  const value = cookiesOf(cookieHeader)[access.signInCookie];
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    const fields = [parsed.state, parsed.nonce, parsed.codeVerifier, parsed.next];
    return fields.every((field) => typeof field === 'string') ? (parsed as PendingSignIn) : undefined;
  } catch {
    return undefined;
  }
}

function isAllowed(email: string | undefined, emailVerified: boolean | undefined, allowedEmails: readonly string[]): boolean {
  if (allowedEmails.length === 0) return true;
  if (!email || emailVerified === false) return false;
  return allowedEmails.some((allowed) => allowed.toLowerCase() === email.toLowerCase());
}

/** Only a path on this site: `//evil.example` and `/\evil.example` are other sites to a browser. */
function safeReturnPath(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

const cookiesOf = (header: string | undefined): Record<string, string | undefined> => (header ? parseCookies(header) : {});

const definedEntries = (query: Record<string, string | undefined>): [string, string][] =>
  Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
