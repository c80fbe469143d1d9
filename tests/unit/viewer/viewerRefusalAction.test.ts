import { describe, expect, it } from 'vitest';
import type { ViewerSession } from '../../../viewer/src/access/parseSession.js';
import { refusalAction } from '../../../viewer/src/access/refusalAction.js';

const expiresAt = '2026-12-10T15:04:00.000Z';
const owner: ViewerSession = { mode: 'owner', expiresAt };
const share = (itemId: string): ViewerSession => ({ mode: 'share', itemId, expiresAt });
const signedOut: ViewerSession = { mode: 'signed-out', signInUrl: '/auth/login' };
const open: ViewerSession = { mode: 'open' };

describe('refusalAction', () => {
  it("sends the owner to sign in again once the site says the session is gone, to the site's sign-in URL", () => {
    expect(refusalAction(owner, signedOut)).toEqual({ kind: 'sign-in', signInUrl: '/auth/login' });
  });

  it('reports a refusal while the session is still good, so sign-in can never loop', () => {
    expect(refusalAction(owner, owner)).toEqual({ kind: 'report' });
    expect(refusalAction(share('a'), share('a'))).toEqual({ kind: 'report' });
    // /auth/session itself failing says nothing about the session.
    expect(refusalAction(owner, open)).toEqual({ kind: 'report' });
  });

  it("tells a share link's holder the link ended, rather than sending them to a sign-in that is not theirs", () => {
    expect(refusalAction(share('a'), signedOut)).toEqual({ kind: 'link-expired' });
    expect(refusalAction(share('a'), share('b'))).toEqual({ kind: 'link-expired' });
  });

  it('does nothing on a site without sign-in', () => {
    expect(refusalAction(open, signedOut)).toEqual({ kind: 'report' });
  });
});
