import type { ViewerSession } from './parseSession.js';

/** What a 403 on one of the viewer's own requests calls for. */
export type RefusalAction =
  /** The owner's session ended: sign in again and come back to where the viewer was. */
  | { kind: 'sign-in'; signInUrl: string }
  /** A share link's cookies ended or were replaced by another link's: signing in would not help its holder. */
  | { kind: 'link-expired' }
  /** The session is as it was: the refusal is about this request (another item than the shared one, a misconfigured origin); shown like any failure. */
  | { kind: 'report' };

/**
 * Decides on a refusal from the session the viewer started with and the one the site reports now
 * (the cookies are HttpOnly: only /auth/session can say whether they are still good). Asking first,
 * rather than sending every 403 to sign-in, means a refusal that sign-in cannot cure never loops.
 */
export function refusalAction(started: ViewerSession, now: ViewerSession): RefusalAction {
  if (started.mode === 'owner' && now.mode === 'signed-out') return { kind: 'sign-in', signInUrl: now.signInUrl };
  if (started.mode === 'share') {
    const sameLink = now.mode === 'share' && now.itemId === started.itemId;
    if (now.mode === 'signed-out' || (now.mode === 'share' && !sameLink)) return { kind: 'link-expired' };
  }
  return { kind: 'report' };
}
