import { AccessEndedError } from '../errors.js';
import type { ViewerSession } from './parseSession.js';
import { refusalAction } from './refusalAction.js';
import { signInUrl } from './signInUrl.js';

export interface SessionGuardDeps {
  /** The session the viewer started with. */
  session: ViewerSession;
  /** The browser's own fetch, for the requests themselves. */
  fetch: typeof fetch;
  /** Asks the site for the session now (fetchSession). */
  askSession(): Promise<ViewerSession>;
  /** Where the viewer is: the `next` of a sign-in. */
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  /** Leaves the page (location.assign). */
  navigate(url: string): void;
  /** The viewer is leaving for sign-in: say so on the page meanwhile. */
  onSigningIn(): void;
}

const linkExpired = 'the shared link has expired; ask whoever sent it for a new one';

/**
 * The one place a refusal is noticed. Every request the viewer makes to its own site (the API, item
 * records and layer manifests, tiles and thumbnails, shares) goes through `fetch`; a 403 there, with
 * sign-in on, asks /auth/session whether the session is still good (refusalAction). If the owner's
 * ended, the viewer leaves for sign-in with `next` = where it is, and the refused request never
 * settles: nothing downstream reports a failure or builds half a scene while the page goes. If a
 * share link's ended, requests fail with an AccessEndedError that says so. Concurrent refusals (a
 * screenful of tiles) share one question.
 */
export class SessionGuard {
  private pendingCheck: Promise<void> | undefined;
  private leaving = false;
  private ended: AccessEndedError | undefined;

  constructor(private readonly deps: SessionGuardDeps) {}

  readonly fetch: typeof fetch = async (input, init) => {
    await this.unlessEnded();
    const response = await this.deps.fetch(input, init);
    if (response.status === 403 && this.deps.session.mode !== 'open') {
      this.pendingCheck ??= this.check().finally(() => (this.pendingCheck = undefined));
      await this.pendingCheck;
      await this.unlessEnded();
    }
    return response;
  };

  private async check(): Promise<void> {
    if (this.leaving || this.ended) return;
    const action = refusalAction(this.deps.session, await this.deps.askSession());
    if (action.kind === 'sign-in') {
      this.leaving = true;
      this.deps.onSigningIn();
      this.deps.navigate(signInUrl(action.signInUrl, this.deps.location));
    } else if (action.kind === 'link-expired') this.ended = new AccessEndedError(linkExpired);
  }

  /** Resolves while access lasts; rejects once a share link ended; never settles once the page is leaving for sign-in. */
  private unlessEnded(): Promise<void> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.leaving) return new Promise<void>(() => undefined);
    return Promise.resolve();
  }
}
