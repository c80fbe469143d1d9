import { errorMessage } from '../errorMessage.js';
import { pageElement } from '../pageElement.js';
import { authRoutes } from './authRoutes.js';
import { formatExpiry } from './formatExpiry.js';
import type { ViewerSession } from './parseSession.js';
import { requestShareLink } from './requestShareLink.js';

export interface AccessBarDeps {
  /** The viewer's guarded fetch (SessionGuard). */
  fetch: typeof fetch;
  /** Leaves the page (location.assign): sign-out is a navigation, as sign-in is. */
  navigate(url: string): void;
}

/**
 * Sign-in on the page (a DOM overlay; a headset need not have it). For the owner: Sign out, and
 * Share while an item is open, which asks for a link to that item and shows it with its expiry and
 * a Copy button, or why there is none. For a share link's holder: what they see and until when.
 * With sign-in off, nothing. The elements are in index.html; this only fills them in.
 */
export class AccessBar {
  private readonly bar = pageElement('access');
  private readonly notice = pageElement('access-notice');
  private readonly panel = pageElement('share-panel');
  private readonly panelText = pageElement('share-text');
  private readonly linkField = pageElement('share-url', HTMLInputElement);
  private readonly copy = pageElement('share-copy', HTMLButtonElement);
  private readonly share = pageElement('share', HTMLButtonElement);
  private readonly signOut = pageElement('sign-out', HTMLButtonElement);
  private openedItemId: string | undefined;
  /** Bumped whenever the open item changes, so a link that arrives late for another item is dropped. */
  private shareRequest = 0;

  constructor(
    private readonly session: ViewerSession,
    private readonly deps: AccessBarDeps,
  ) {
    this.bar.hidden = session.mode !== 'owner' && session.mode !== 'share';
    this.signOut.hidden = session.mode !== 'owner';
    if (session.mode === 'share') {
      this.notice.textContent = `Shared item · link expires ${formatExpiry(session.expiresAt)}`;
      this.notice.hidden = false;
      // One item and no API: nothing to browse to, go back to or search.
      pageElement('help').textContent = 'Drag to look around · K play/pause, J/L seek';
    }
    this.signOut.addEventListener('click', () => deps.navigate(authRoutes.logout));
    this.share.addEventListener('click', () => void this.shareOpenedItem());
    this.copy.addEventListener('click', () => void this.copyLink());
  }

  /** The item now open, or none: Share is for it, and a link made for another item is put away. */
  setOpenedItem(itemId: string | undefined): void {
    if (itemId === this.openedItemId) return;
    this.openedItemId = itemId;
    this.shareRequest += 1;
    this.share.hidden = this.session.mode !== 'owner' || !itemId;
    this.share.disabled = false;
    this.panel.hidden = true;
  }

  private async shareOpenedItem(): Promise<void> {
    const itemId = this.openedItemId;
    if (!itemId) return;
    const request = ++this.shareRequest;
    this.share.disabled = true;
    this.showPanel('Making a link…');
    try {
      const link = await requestShareLink(itemId, this.deps.fetch);
      if (request === this.shareRequest)
        this.showPanel(`Anyone with this link sees this item until ${formatExpiry(link.expiresAt)}`, link.url);
    } catch (error) {
      if (request === this.shareRequest) this.showPanel(`Could not share this item: ${errorMessage(error)}`);
    } finally {
      if (request === this.shareRequest) this.share.disabled = false;
    }
  }

  /** The panel above the buttons: a sentence, and the link with Copy when there is one. */
  private showPanel(text: string, url?: string): void {
    this.panelText.textContent = text;
    this.linkField.value = url ?? '';
    this.linkField.hidden = url === undefined;
    this.copy.hidden = url === undefined;
    this.copy.textContent = 'Copy';
    this.panel.hidden = false;
  }

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.linkField.value);
      this.copy.textContent = 'Copied';
    } catch (error) {
      // No clipboard (not allowed, not a secure context): the link is selected for copying by hand.
      this.linkField.select();
      this.copy.textContent = `Copy failed (${errorMessage(error)}): the link is selected`;
    }
  }
}
