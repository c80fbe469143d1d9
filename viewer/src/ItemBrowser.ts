import { Vector3, type Intersection, type Object3D, type PerspectiveCamera, type WebGLRenderer } from 'three';
import type { DisplayProfile } from '../../functions/domain/foveate/index.js';
import type { ErrorRecord, ItemManifest } from '../../functions/domain/items/types.js';
import type { AfterRender } from './AfterRender.js';
import type { CameraAim } from './CameraAim.js';
import { errorMessage } from './errorMessage.js';
import { fetchItem, type ItemRecordSource } from './fetchItem.js';
import type { ManifestCache } from './foveated/ManifestCache.js';
import type { TileTextureLoader } from './foveated/TileTextureLoader.js';
import type { Gallery } from './Gallery.js';
import { itemHash } from './itemHash.js';
import { createMediaView } from './media/createMediaView.js';
import { fetchSimilar } from './neighbours/fetchSimilar.js';
import { searchByImage } from './neighbours/searchByImage.js';
import { SimilarStrip, type StripPlacement } from './neighbours/SimilarStrip.js';
import type { BrowseDirection } from './neighbourPanel.js';
import { OpenedItem } from './OpenedItem.js';
import { OpenedPlacement } from './OpenedPlacement.js';
import type { RejectedStrip } from './RejectedStrip.js';
import type { StatusOverlay } from './StatusOverlay.js';
import type { ViewerSettings } from './viewerSettings.js';

export interface ItemBrowserDeps {
  renderer: WebGLRenderer;
  camera: PerspectiveCamera;
  cameraAim: CameraAim;
  gallery: Gallery;
  rejected: RejectedStrip;
  /** The floor grid: hidden while a sphere surrounds the user. */
  scenery: Object3D;
  overlay: StatusOverlay;
  loader: TileTextureLoader;
  manifests: ManifestCache;
  settings: ViewerSettings;
  after: AfterRender;
  requestRender(): void;
  /** Whether more gallery pages exist (for the "n of m+" in the info bar). */
  hasMorePages(): boolean;
  /** The viewer's guarded fetch (SessionGuard), for the API. */
  fetch: typeof fetch;
  /**
   * 'catalog': the gallery and the API are there. 'shared-item': a share link's holder sees one item
   * and nothing around it: its record is read from its manifest, no neighbours are asked for (the
   * API refuses them), and it cannot be closed onto an empty room.
   */
  scope: 'catalog' | 'shared-item';
  /** The opened item changed (an id), or none is open. */
  onOpenedChange(itemId: string | undefined): void;
  /** The display the layers are chosen for now (DisplayMonitor): in a headset, it sizes the opened panel. */
  display(): DisplayProfile;
  /** The eye's height in the room, for the gallery's pitch range. */
  eyeHeightMeters: number;
}

/** How often an opened item whose layers are still being made is asked for again. */
const renderingPollMs = 1500;

/** Search results hang in a row a little under eye level, ahead. */
const searchRow: StripPlacement = { distanceMeters: 1.6, pitchDeg: -8, stepDeg: 13, cellWidthMeters: 0.32, cellHeightMeters: 0.24 };

/**
 * Opening, closing and browsing items: from the gallery, a deep link
 * (#item=<id>), the keyboard, a pointer or a controller. Keeps the URL,
 * the info bar and the published state in step with what is open.
 */
export class ItemBrowser {
  readonly opened = new OpenedItem();
  /** The opened item's nearest neighbours, in its frame (they move with it). */
  private readonly neighbours = new SimilarStrip();
  /** Results of a search by a dropped image, shown while no item is open. */
  readonly searchResults = new SimilarStrip();
  private openRequest = 0;
  private searchRequest = 0;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private firstPixelShown = false;

  /** How large the opened item is drawn, and where. */
  readonly placement: OpenedPlacement;

  constructor(private readonly deps: ItemBrowserDeps) {
    this.placement = new OpenedPlacement({
      ...deps,
      opened: this.opened,
      neighbours: this.neighbours,
      neighbourCount: () => (deps.scope === 'catalog' ? deps.settings.neighbours.count : 0),
    });
    this.opened.object.add(this.neighbours.object);
    this.applyFoveation();
  }

  /** A shared item is all there is: nothing to go back to. */
  private get canClose(): boolean {
    return this.deps.scope === 'catalog';
  }

  private get recordSource(): ItemRecordSource {
    return this.deps.scope === 'catalog' ? 'api' : 'manifest';
  }

  /** What a ray can hit: neighbours or search results and failed uploads, the opened item's surface, the gallery. */
  pickables(): Object3D[] {
    const neighbours = this.neighbours.object.visible ? this.neighbours.pickables : [];
    const shown = this.opened.item ? neighbours : [...this.searchResults.pickables, ...this.deps.rejected.pickables];
    // A sphere around the user hides the gallery: hidden panels must not catch a ray either.
    const gallery = this.deps.gallery.object.visible ? this.deps.gallery.pickables : [];
    return [...shown, ...this.opened.pickables(), ...gallery];
  }

  /** Opens an item large: from the gallery if loaded, else fetched by id (a deep link to an older item). */
  async openItem(itemId: string): Promise<void> {
    const { gallery, overlay, camera } = this.deps;
    const request = ++this.openRequest;
    const index = gallery.indexOf(itemId);
    let item: ItemManifest | undefined = gallery.panel(index)?.item;
    if (!item) {
      try {
        item = await fetchItem(itemId, this.recordSource, this.deps.fetch);
      } catch (error) {
        if (request !== this.openRequest) return;
        const message = `Could not open item ${itemId}: ${errorMessage(error)}`;
        // With no gallery behind it, the failure is the page's message, not a line in the bar.
        if (!this.canClose) return overlay.error(message);
        this.closeItem();
        overlay.setInfo(message, false);
        return;
      }
      if (request !== this.openRequest) return;
    }
    history.replaceState(null, '', itemHash.format(itemId));
    if (index >= 0) this.selectPanel(index, false);

    const eye = camera.getWorldPosition(new Vector3());
    const panel = gallery.panel(index);
    // In a headset the item opens where the head looks (a ray may have picked a panel off to the side), so the
    // gaze starts at its centre, where the first view's full-PPD tiles are; on a desktop, where its panel was,
    // and the view turns to it.
    const inFront = this.deps.renderer.xr.isPresenting || !panel;
    const direction = inFront ? camera.getWorldDirection(new Vector3()) : panel.object.getWorldPosition(new Vector3()).sub(eye);
    performance.mark('viewer:open', { detail: itemId });
    let sharpened!: () => void;
    const fovealSharp = new Promise<void>((resolve) => (sharpened = resolve));
    const view = createMediaView(item, panel?.galleryTexture, {
      loader: this.deps.loader,
      manifests: this.deps.manifests,
      renderer: this.deps.renderer,
      settings: this.deps.settings,
      events: {
        onChange: () => this.onViewChange(request),
        onFovealSharp: () => {
          sharpened();
          if (request !== this.openRequest) return;
          this.deps.after.publish({ openedRole: 'sharp' });
          this.deps.after.mark('viewer:foveal-sharp', itemId);
        },
        onError: (message) => {
          if (request === this.openRequest) overlay.setInfo(`${this.describeItem(item)} · ${message}`, this.canClose);
        },
      },
      video: {
        onPlayback: (state) => {
          if (request === this.openRequest) this.deps.after.publish({ video: state });
        },
        onStreamError: (url) => {
          if (request !== this.openRequest) return;
          overlay.setInfo(`${this.describeItem(item)} · the video could not be loaded`, this.canClose);
          // A video element does not say why it failed; asking again through fetch lets a refusal (the session ended) be noticed.
          void this.deps.fetch(url, { method: 'HEAD' }).catch(() => undefined);
        },
      },
    });
    this.opened.open(item, view, eye, direction);
    gallery.setDimmed(true);
    // A sphere around the user hides the room; a panel floats in it.
    const inRoom = view.surface.projection === 'flat';
    gallery.object.visible = inRoom;
    this.deps.scenery.visible = inRoom;
    this.deps.rejected.object.visible = false;
    overlay.setInfo(this.describeItem(item), this.canClose);
    this.deps.onOpenedChange(itemId);
    this.deps.after.publish({ openedItem: '', openedRole: '', openedProfile: '', video: item.kind === 'video' ? 'paused' : '' });
    this.firstPixelShown = false;
    // The view drew its placeholder while being made, before it was ours to report: the next frame shows it.
    this.onViewChange(request);
    this.applyFoveation();
    this.placement.reset();
    this.placement.layOut(true);
    this.pollWhileRendering(request, item);
    this.clearSearch();
    void this.showNeighbours(request, item, fovealSharp);
    this.deps.requestRender();
  }

  /** Search by image (a file dropped on the page): the results in a row ahead, the gallery dimmed. */
  async search(image: Blob): Promise<void> {
    if (this.opened.item) this.closeItem();
    const request = ++this.searchRequest;
    const { overlay, camera, gallery } = this.deps;
    overlay.setInfo('Searching for similar items…', false);
    let results;
    try {
      results = await searchByImage(image, this.deps.settings.neighbours.count, this.deps.fetch);
    } catch (error) {
      if (request === this.searchRequest) overlay.setInfo(`Search failed: ${errorMessage(error)}`, false);
      return;
    }
    if (request !== this.searchRequest) return;
    const frame = this.searchResults.object;
    frame.position.copy(camera.getWorldPosition(new Vector3()));
    const ahead = camera.getWorldDirection(new Vector3());
    frame.rotation.set(0, Math.atan2(-ahead.x, -ahead.z), 0);
    gallery.setDimmed(true);
    overlay.setInfo(results.length > 0 ? `${results.length} similar items · Esc to clear` : 'Nothing similar found · Esc to clear', true);
    const shown = await this.searchResults.show(results, searchRow, this.deps.loader, this.deps.requestRender);
    if (request !== this.searchRequest) return;
    const first = this.searchResults.entries[0]?.mesh;
    this.deps.after.publish({ neighbours: String(shown), firstResultRect: first ? this.placement.canvasRectOf(first) : '' });
  }

  closeItem(): void {
    if (!this.canClose) return;
    this.openRequest += 1;
    clearTimeout(this.pollTimer);
    this.neighbours.clear();
    if (!this.opened.item && this.searchResults.count > 0) return this.clearSearch();
    if (!this.opened.item && !itemHash.parse(location.hash)) return;
    const { gallery, overlay } = this.deps;
    this.opened.object.parent?.attach(this.opened.object);
    this.opened.close();
    this.placement.reset();
    gallery.setDimmed(false);
    gallery.object.visible = true;
    this.deps.scenery.visible = true;
    this.deps.rejected.object.visible = true;
    history.replaceState(null, '', location.pathname + location.search);
    const selected = gallery.panel(gallery.selectedIndex);
    overlay.setInfo(selected ? this.describeItem(selected.item) : '', false);
    this.applyFoveation();
    this.deps.onOpenedChange(undefined);
    this.deps.after.publish({ openedItem: '', openedRole: '', openedProfile: '', video: '' });
  }

  browse(direction: BrowseDirection): void {
    const { gallery, camera } = this.deps;
    if (gallery.count === 0) return;
    const openedItem = this.opened.item;
    if (openedItem) {
      const index = gallery.indexOf(openedItem.itemId);
      if (index < 0 || direction === 'up' || direction === 'down') return;
      const next = gallery.neighbour(index, direction);
      const panel = gallery.panel(next);
      if (next !== index && panel) void this.openItem(panel.item.itemId);
      return;
    }
    // The first key press picks what is in front of you; later ones move from there.
    const current = gallery.selectedIndex;
    const next =
      current < 0
        ? gallery.nearestTo(camera.getWorldPosition(new Vector3()), camera.getWorldDirection(new Vector3()))
        : gallery.neighbour(current, direction);
    this.selectPanel(next, true);
  }

  /** Enter, Space: open the selected panel, or play/pause the opened video. */
  activate(): void {
    if (this.opened.media?.togglePlay) return this.opened.media.togglePlay();
    const selected = this.deps.gallery.panel(this.deps.gallery.selectedIndex);
    if (selected && !this.opened.item) void this.openItem(selected.item.itemId);
  }

  togglePlay(): void {
    this.opened.media?.togglePlay?.();
  }

  seek(direction: -1 | 1): void {
    this.opened.media?.seekBy?.(direction * this.deps.settings.video.seekStepSeconds);
  }

  /** A click, tap or controller select on `hit` (or on nothing). */
  pick(hit: Intersection | undefined): void {
    const similar = hit ? (this.neighbours.valueAt(hit.object) ?? this.searchResults.valueAt(hit.object)) : undefined;
    if (similar) return void this.openItem(similar.itemId);
    const rejected = hit ? this.deps.rejected.valueAt(hit.object) : undefined;
    if (rejected) return this.explainRejected(rejected);
    if (hit && this.opened.pickables().includes(hit.object)) return this.opened.media?.activate?.(hit);
    const panel = hit ? this.deps.gallery.panel(this.deps.gallery.indexOfObject(hit.object)) : undefined;
    if (panel && panel.item.itemId !== this.opened.item?.itemId) void this.openItem(panel.item.itemId);
    else if (!hit && this.opened.item) this.closeItem();
  }

  /** Pointer or controller over something: selects a gallery panel (or explains a failed upload) while nothing is open. */
  hover(hit: Intersection | undefined): void {
    if (!hit || this.opened.item) return;
    const rejected = this.deps.rejected.valueAt(hit.object);
    if (rejected) return this.explainRejected(rejected);
    this.selectPanel(this.deps.gallery.indexOfObject(hit.object), false);
  }

  /** Follows the #item= link when it changes. */
  followHash(): void {
    const itemId = itemHash.parse(location.hash);
    if (itemId && itemId !== this.opened.item?.itemId) void this.openItem(itemId);
    else if (!itemId && this.opened.item) this.closeItem();
  }

  selectPanel(index: number, aim: boolean): void {
    const { gallery, overlay } = this.deps;
    const panel = gallery.panel(index);
    if (!panel) return;
    if (gallery.select(index)) {
      // Pointed at is likely to be opened: have its layer manifest ready.
      this.deps.manifests.prefetch(panel.item.foveated);
      if (!this.opened.item) overlay.setInfo(this.describeItem(panel.item), false);
      this.deps.after.publish({ selectedItem: panel.item.itemId });
    }
    if (aim && !this.deps.renderer.xr.isPresenting) this.deps.cameraAim.aimAt(panel.object.getWorldPosition(new Vector3()));
  }

  describeItem(item: ItemManifest): string {
    const { gallery } = this.deps;
    const name = item.source.key.split('/').pop() ?? item.itemId;
    const index = gallery.indexOf(item.itemId);
    const position = index >= 0 ? ` · ${index + 1} of ${gallery.count}${this.deps.hasMorePages() ? '+' : ''}` : '';
    const status = item.status === 'rendering' ? ' · making sharper layers…' : '';
    return `${name} · ${item.widthPx}×${item.heightPx}${position}${status}`;
  }

  private onViewChange(request: number): void {
    if (request !== this.openRequest) return;
    const item = this.opened.item;
    const view = this.opened.media;
    if (!item || !view) return;
    const role = this.roleShown();
    this.deps.after.publish({
      openedItem: item.itemId,
      openedRole: role,
      openedProfile: view.profileId ?? '',
      fovealPending: String(view.fovealPending),
      layersPending: String(view.layersPending),
      fullPpdDrawn: String(view.layerImage?.drawnCount('tiles') ?? 0),
      textureMb: megabytes(view.stats.decodedBytes),
      textureMbMax: megabytes(view.stats.decodedBytesMax),
    });
    if (!this.firstPixelShown && role !== 'none') {
      this.firstPixelShown = true;
      this.deps.after.mark('viewer:first-pixel', item.itemId);
    }
  }

  private roleShown(): string {
    const progress = this.opened.media?.progress ?? 'none';
    if (progress === 'placeholder') return this.opened.item?.foveated ? 'thumb' : 'preview';
    return progress;
  }

  /** While the layers are being made, the item is asked for again until it is 'ready'. */
  private pollWhileRendering(request: number, item: ItemManifest): void {
    if (item.status !== 'rendering') return;
    this.pollTimer = setTimeout(() => void this.pollOnce(request, item), renderingPollMs);
  }

  private async pollOnce(request: number, item: ItemManifest): Promise<void> {
    if (request !== this.openRequest) return;
    let fresh: ItemManifest;
    try {
      fresh = await fetchItem(item.itemId, this.recordSource, this.deps.fetch);
    } catch {
      fresh = item;
    }
    if (request !== this.openRequest) return;
    if (fresh.status === 'ready') {
      this.opened.refresh(fresh);
      this.deps.gallery.replaceItem(fresh);
      this.deps.overlay.setInfo(this.describeItem(fresh), this.canClose);
    } else this.pollWhileRendering(request, fresh);
  }

  /** A failed upload's whole reason, in the info bar. */
  private explainRejected(record: ErrorRecord): void {
    this.deps.overlay.setInfo(`${record.key} was not made into an item (${record.code}): ${record.reason}`, false);
  }

  private clearSearch(): void {
    this.searchRequest += 1;
    if (this.searchResults.count === 0) return;
    this.searchResults.clear();
    if (!this.opened.item) this.deps.gallery.setDimmed(false);
    this.deps.overlay.setInfo('', false);
    this.deps.after.publish({ neighbours: '0' });
  }

  /** The opened item's nearest neighbours from the query API, in a row below it. */
  private async showNeighbours(request: number, item: ItemManifest, fovealSharp: Promise<void>): Promise<void> {
    if (this.deps.scope === 'shared-item') return this.deps.after.publish({ neighbours: '0' });
    this.deps.after.publish({ neighbours: '' });
    let similar;
    try {
      similar = await fetchSimilar(item.itemId, this.deps.settings.neighbours.count, this.deps.fetch);
    } catch {
      // No neighbours (index not ready, an older deployment without the query API): the item shows alone.
      if (request === this.openRequest) this.deps.after.publish({ neighbours: '0' });
      return;
    }
    if (request !== this.openRequest || !this.opened.media) return;
    const thumbnailsWhen = Promise.race([
      fovealSharp,
      new Promise<void>((resolve) => setTimeout(resolve, this.deps.settings.neighbours.thumbnailsWaitMs)),
    ]);
    const shown = await this.neighbours.show(
      similar,
      this.placement.neighbourPlacement(),
      this.deps.loader,
      this.deps.requestRender,
      thumbnailsWhen,
    );
    if (request === this.openRequest) this.deps.after.publish({ neighbours: String(shown) });
  }

  /** Fixed foveation chosen on purpose: off for an opened media panel, moderate for the gallery (settings.xr). */
  private applyFoveation(): void {
    const { fixedFoveation } = this.deps.settings.xr;
    this.deps.renderer.xr.setFoveation(this.opened.item ? fixedFoveation.media : fixedFoveation.gallery);
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(2);
}
