import { describe, expect, it, vi } from 'vitest';
import type { ViewerSession } from '../../../viewer/src/access/parseSession.js';
import { SessionGuard } from '../../../viewer/src/access/SessionGuard.js';
import { AccessEndedError } from '../../../viewer/src/errors.js';

const expiresAt = '2026-12-10T15:04:00.000Z';
const signedOut: ViewerSession = { mode: 'signed-out', signInUrl: '/auth/login' };
const here = { pathname: '/', search: '', hash: '#item=0123456789abcdef0123456789abcdef' };

/** A guard over a network that answers `status` to everything, and a site that reports `now` as the session. */
function guardOver(session: ViewerSession, status: number, now: ViewerSession) {
  const network = vi.fn(async () => new Response('signed cookies required', { status }));
  const askSession = vi.fn(async () => now);
  const navigate = vi.fn();
  const onSigningIn = vi.fn();
  const guard = new SessionGuard({ session, fetch: network, askSession, location: here, navigate, onSigningIn });
  return { guard, network, askSession, navigate, onSigningIn };
}

/** Whether a promise has settled once every queued task has run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return settled;
}

describe('SessionGuard', () => {
  it('passes answers other than 403 through without asking about the session', async () => {
    const { guard, askSession } = guardOver({ mode: 'owner', expiresAt }, 404, signedOut);
    expect((await guard.fetch('/items/x/manifest.json')).status).toBe(404);
    expect(askSession).not.toHaveBeenCalled();
  });

  it('leaves a 403 alone on a site without sign-in', async () => {
    const { guard, askSession, navigate } = guardOver({ mode: 'open' }, 403, signedOut);
    expect((await guard.fetch('/api/items')).status).toBe(403);
    expect(askSession).not.toHaveBeenCalled();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('sends the owner whose session ended to sign-in, with next = where the viewer is, once for a screenful of refusals', async () => {
    const { guard, network, askSession, navigate, onSigningIn } = guardOver({ mode: 'owner', expiresAt }, 403, signedOut);
    const refused = [guard.fetch('/api/items'), guard.fetch('/items/a/preview/foveated.json'), guard.fetch('/items/a/base/0_0.avif')];
    await vi.waitFor(() => expect(navigate).toHaveBeenCalled());
    expect(navigate.mock.calls).toEqual([[`/auth/login?next=${encodeURIComponent('/#item=0123456789abcdef0123456789abcdef')}`]]);
    expect(askSession).toHaveBeenCalledOnce();
    expect(onSigningIn).toHaveBeenCalledOnce();
    // The page is leaving: no caller gets an answer to act on, and nothing more goes out.
    for (const request of refused) expect(await settledYet(request)).toBe(false);
    expect(await settledYet(guard.fetch('/api/items?cursor=c1'))).toBe(false);
    expect(network).toHaveBeenCalledTimes(3);
  });

  it('hands a refusal back as it came while the session is still good (no sign-in loop)', async () => {
    const owner: ViewerSession = { mode: 'owner', expiresAt };
    const { guard, askSession, navigate } = guardOver(owner, 403, owner);
    expect((await guard.fetch('/api/items')).status).toBe(403);
    expect((await guard.fetch('/api/items')).status).toBe(403);
    expect(askSession).toHaveBeenCalledTimes(2);
    expect(navigate).not.toHaveBeenCalled();
  });

  it("fails a share link holder's requests with the reason once the link has expired, and stops asking the network", async () => {
    const { guard, network, navigate } = guardOver({ mode: 'share', itemId: 'a'.repeat(32), expiresAt }, 403, signedOut);
    await expect(guard.fetch('/items/x/manifest.json')).rejects.toThrow(AccessEndedError);
    await expect(guard.fetch('/items/x/preview/thumb.webp')).rejects.toThrow('the shared link has expired');
    expect(network).toHaveBeenCalledOnce();
    expect(navigate).not.toHaveBeenCalled();
  });
});
