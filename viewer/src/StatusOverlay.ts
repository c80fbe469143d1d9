import { pageElement } from './pageElement.js';

/**
 * The page's words: the loading, empty and error messages in the middle, and
 * the bar naming the selected or opened item with its Back and Load more
 * buttons. The elements are in index.html; this only fills them in.
 */
export class StatusOverlay {
  private readonly status = pageElement('status');
  private readonly info = pageElement('info');
  private readonly infoText = pageElement('info-text');
  private readonly back = pageElement('back', HTMLButtonElement);
  private readonly more = pageElement('more', HTMLButtonElement);

  constructor(handlers: { onBack: () => void; onMore: () => void }) {
    this.back.addEventListener('click', handlers.onBack);
    this.more.addEventListener('click', handlers.onMore);
  }

  loading(text = 'Loading items…'): void {
    this.message(text);
  }

  empty(): void {
    this.status.replaceChildren('No items yet. Upload with ', code('npm run upload -- <files>'), ' and reload this page.');
    this.status.hidden = false;
  }

  error(text: string, retry?: () => void): void {
    this.status.replaceChildren(text);
    if (retry) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Retry';
      button.addEventListener('click', retry, { once: true });
      this.status.append(document.createElement('br'), button);
    }
    this.status.hidden = false;
  }

  hideMessage(): void {
    this.status.hidden = true;
    this.status.replaceChildren();
  }

  /** The info bar: `text` (or hidden when empty), with Back while an item is open. */
  setInfo(text: string, canGoBack: boolean): void {
    this.infoText.textContent = text;
    this.back.hidden = !canGoBack;
    this.updateInfoVisibility();
  }

  setMore(available: boolean, busy = false): void {
    this.more.hidden = !available;
    this.more.disabled = busy;
    this.more.textContent = busy ? 'Loading…' : 'Load more';
    this.updateInfoVisibility();
  }

  private updateInfoVisibility(): void {
    this.info.hidden = this.infoText.textContent === '' && this.more.hidden;
  }

  private message(text: string): void {
    this.status.replaceChildren(text);
    this.status.hidden = false;
  }
}

function code(text: string): HTMLElement {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}
