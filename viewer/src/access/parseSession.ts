/**
 * Who the site says this browser is (GET /auth/session): the signed-in owner, a share link's holder
 * (only that item's files are open to it, no API), someone who must sign in first, or 'open' when
 * the site has no sign-in (the route does not exist) and everything is served to anyone.
 */
export type ViewerSession =
  | { mode: 'owner'; expiresAt: string }
  | { mode: 'share'; itemId: string; expiresAt: string }
  | { mode: 'signed-out'; signInUrl: string }
  | { mode: 'open' };

const itemIdPattern = /^[0-9a-f]{32}$/;

/**
 * The session an answer of /auth/session describes. Anything that is not the route's own 200 or 401
 * JSON (a 404 from the static files, an error page, a body that is not JSON) means sign-in is off.
 */
export function parseSession(status: number, body: unknown): ViewerSession {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { mode, expiresAt, itemId, signInUrl } = fields;
  if (status === 200 && typeof expiresAt === 'string') {
    if (mode === 'owner') return { mode, expiresAt };
    if (mode === 'share' && typeof itemId === 'string' && itemIdPattern.test(itemId)) return { mode, itemId, expiresAt };
  }
  if (status === 401 && typeof signInUrl === 'string' && isSitePath(signInUrl)) return { mode: 'signed-out', signInUrl };
  return { mode: 'open' };
}

/** A path on this site: `//host` and `/\host` are other sites to a browser, where no sign-in may send anyone. */
function isSitePath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}
