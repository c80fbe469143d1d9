import type { AfterRender } from './AfterRender.js';
import { errorMessage } from './errorMessage.js';
import { fetchErrors } from './fetchErrors.js';
import { fetchItems } from './fetchItems.js';
import type { TileTextureLoader } from './foveated/TileTextureLoader.js';
import type { Gallery } from './Gallery.js';
import type { GalleryPanel } from './GalleryPanel.js';
import { publishViewerState } from './publishViewerState.js';
import type { RejectedStrip } from './RejectedStrip.js';
import type { StatusOverlay } from './StatusOverlay.js';

export interface GalleryLoaderDeps {
  gallery: Gallery;
  /** Uploads that failed, with their reasons, under the gallery. */
  rejected: RejectedStrip;
  eyeHeightMeters: number;
  overlay: StatusOverlay;
  loader: TileTextureLoader;
  after: AfterRender;
  pageSize: number;
  pagesPerLoad: number;
  /** The viewer's guarded fetch (SessionGuard), for the API. */
  fetch: typeof fetch;
  requestRender(): void;
  /** The first page is in: a deep link can open now. */
  onFirstPage(): void;
}

/**
 * Fills the gallery from the catalog (GET /api/items, page by page), with
 * its loading, empty and error states, "Load more", and each panel's
 * thumbnail; and the row of failed uploads from GET /api/errors.
 */
export class GalleryLoader {
  private nextCursor: string | undefined;
  private loadingMore = false;
  private thumbsLoaded = 0;
  private thumbsFailed = 0;

  constructor(private readonly deps: GalleryLoaderDeps) {}

  get hasMore(): boolean {
    return this.nextCursor !== undefined;
  }

  async load(): Promise<void> {
    const { overlay, gallery, after } = this.deps;
    overlay.loading();
    publishViewerState({ state: 'loading' });
    let page;
    const errors = this.loadRejected();
    try {
      page = await fetchItems({ pageSize: this.deps.pageSize, maxPages: this.deps.pagesPerLoad, fetch: this.deps.fetch });
    } catch (error) {
      overlay.error(
        `Could not load items: ${errorMessage(error)}. Check that the API is running (npm start locally), then retry.`,
        () => void this.load(),
      );
      publishViewerState({ state: 'error' });
      return;
    }
    if (page.items.length === 0) {
      overlay.empty();
      after.publish({ state: 'empty', panels: '0' });
      await errors;
      return;
    }
    overlay.hideMessage();
    this.nextCursor = page.nextCursor;
    overlay.setMore(this.hasMore);
    const added = gallery.append(page.items);
    this.deps.onFirstPage();
    await Promise.all([this.loadThumbs(added), errors]);
  }

  async loadMore(): Promise<void> {
    const { overlay, gallery } = this.deps;
    if (!this.nextCursor || this.loadingMore) return;
    this.loadingMore = true;
    overlay.setMore(true, true);
    try {
      const page = await fetchItems({
        pageSize: this.deps.pageSize,
        maxPages: this.deps.pagesPerLoad,
        cursor: this.nextCursor,
        fetch: this.deps.fetch,
      });
      this.nextCursor = page.nextCursor;
      await this.loadThumbs(gallery.append(page.items));
    } catch (error) {
      overlay.error(`Could not load more items: ${errorMessage(error)}.`, () => {
        overlay.hideMessage();
        void this.loadMore();
      });
    } finally {
      this.loadingMore = false;
      overlay.setMore(this.hasMore);
    }
  }

  /** The failed uploads; a deployment without the errors route just shows none. */
  private async loadRejected(): Promise<void> {
    const records = await fetchErrors(this.deps.pageSize, this.deps.fetch).catch(() => []);
    this.deps.rejected.show(records, this.deps.eyeHeightMeters);
    this.deps.after.publish({ panelsRejected: String(records.length) });
  }

  private async loadThumbs(panels: GalleryPanel[]): Promise<void> {
    this.deps.requestRender();
    const result = await this.deps.gallery.loadThumbs(panels, this.deps.loader, this.deps.requestRender);
    this.thumbsLoaded += result.loaded;
    this.thumbsFailed += result.failed;
    this.deps.after.publish({ state: 'ready', panels: String(this.thumbsLoaded), panelsFailed: String(this.thumbsFailed) });
  }
}
