import { authRoutes } from './authRoutes.js';
import { parseSession, type ViewerSession } from './parseSession.js';

/**
 * GET /auth/session with the browser's own fetch (never the guarded one: the guard asks this). A site
 * that cannot be reached is treated as open: the gallery's own requests then fail and say so.
 */
export async function fetchSession(fetchImpl: typeof fetch): Promise<ViewerSession> {
  let response: Response;
  try {
    response = await fetchImpl(authRoutes.session, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch {
    return { mode: 'open' };
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  return parseSession(response.status, body);
}
