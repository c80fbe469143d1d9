import { Mesh, Vector2, Vector3, type Intersection, type Object3D, type PerspectiveCamera, type WebGLRenderer } from 'three';
import { panelSurface, sourceFillHalfTan, type DisplayProfile } from '../../functions/domain/foveate/index.js';
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
import { desktopLayoutRules, layOutOpened, rowCells, type OpenedLayout } from './openedLayout.js';
import { publishViewerState } from './publishViewerState.js';
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

/** Neighbours hang in a row below the opened surface (openedLayout's rowCells); search results a little under eye level, ahead. */
const neighbourDistanceMeters = 1.3;
const searchRow: StripPlacement = { distanceMeters: 1.6, pitchDeg: -8, stepDeg: 13, cellWidthMeters: 0.32, cellHeightMeters: 0.24 };
/** In a headset the neighbours hang this far under the panel's bottom edge, within a glance of its centre. */
const headsetRowGapDeg = 8;
const headsetRowPitchDeg: [number, number] = [-65, -20];
/** Inside a sphere (a 360° item) the row is well below the horizon, out of the picture's middle. */
const sphereRowPitchDeg = -40;
/** Each wheel notch, `+` or `-` zooms by this factor. */
const zoomStep = 1.25;
const radians = Math.PI / 180;
const degrees = 180 / Math.PI;

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
  /** Desktop: the opened flat item's fit to the window, and the zoom on top of it (1: fit). */
  private layout: OpenedLayout | undefined;
  private zoom = 1;

  constructor(private readonly deps: ItemBrowserDeps) {
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
    this.zoom = 1;
    this.layOut(true);
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
    if (request === this.searchRequest) this.deps.after.publish({ neighbours: String(shown) });
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
    this.layout = undefined;
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

  /**
   * Sizes and places the opened flat item for the display (docs/viewer.md, "What you see"). On a desktop it
   * fits the window with its neighbours' row (and a video's seek bar) under it, at most two device pixels
   * per source pixel, then the zoom; `aim` turns the view to it. In a headset: see fitToHeadset.
   */
  layOut(aim: boolean): void {
    const view = this.opened.media;
    const item = this.opened.item;
    if (!view || !item || view.surface.projection !== 'flat') return;
    if (this.deps.renderer.xr.isPresenting) return this.fitToHeadset();
    const { camera, renderer } = this.deps;
    const drawing = renderer.getDrawingBufferSize(new Vector2());
    this.layout = layOutOpened(
      { verticalFovDeg: camera.fov, aspect: camera.aspect, deviceWidthPx: drawing.x },
      {
        ...this.plannedTangents(),
        belowTan: (view.belowPanelMeters ?? 0) / view.distanceMeters,
        sourceWidthPx: item.widthPx,
        neighbourCount: this.deps.scope === 'catalog' ? this.deps.settings.neighbours.count : 0,
      },
      { ...desktopLayoutRules, maxScale: this.configuredScale() },
    );
    this.zoom = Math.min(this.zoom, this.maxZoom());
    this.showZoomed();
    if (this.neighbours.count > 0) this.neighbours.rearrange(this.neighbourPlacement());
    // Straight ahead, square to the panel: no keystone.
    if (aim) this.deps.cameraAim.aimAt(this.opened.object.localToWorld(new Vector3(0, 0, -1)));
    this.deps.requestRender();
  }

  /** Desktop: wheel, pinch, `+` and `-` zoom by `steps` (negative: out), from the fit up to one device pixel per source pixel. */
  zoomBy(steps: number): void {
    if (!this.layout || this.deps.renderer.xr.isPresenting) return;
    this.zoom = Math.max(1, Math.min(this.maxZoom(), this.zoom * zoomStep ** steps));
    this.showZoomed();
    this.deps.requestRender();
  }

  /** Zoomed in, the neighbours' row steps aside (it would cover the picture); at the fit it is back. */
  private showZoomed(): void {
    const layout = this.layout!;
    this.opened.setScale(layout.scale * this.zoom, layout.liftTan * this.opened.media!.distanceMeters);
    this.neighbours.object.visible = this.zoom === 1;
  }

  /** `0`: fit the window again, and look at it. */
  fitToWindow(): void {
    this.zoom = 1;
    this.layOut(true);
  }

  /**
   * Headset: the panel subtends the configured angle, or less where the source would be magnified: never
   * more than two display pixels per source pixel at the display's measured PPD (its centre). The planner
   * sized it so for the finest profile; a coarser display shows a small photo larger, up to the panel's angle.
   */
  fitToHeadset(): void {
    const view = this.opened.media;
    const item = this.opened.item;
    if (!view || !item || view.surface.projection !== 'flat') return;
    const fill = sourceFillHalfTan(item.widthPx, this.deps.display().ppd, desktopLayoutRules.maxDevicePxPerSourcePx);
    const scale = Math.min(this.configuredScale(), fill / this.plannedTangents().halfWidthTan);
    const before = this.opened.scale;
    this.layout = undefined;
    this.zoom = 1;
    this.neighbours.object.visible = true;
    this.opened.setScale(scale, 0);
    if (this.opened.scale !== before && this.neighbours.count > 0) this.neighbours.rearrange(this.neighbourPlacement());
  }

  /** Where the view may be turned, in pitch: over the opened item and its row, over a sphere anywhere, else over the gallery. */
  lookPitchRangeDeg(): [number, number] {
    const view = this.opened.media;
    if (view && view.surface.projection !== 'flat') return [-90, 90];
    if (view && this.layout) {
      const { halfHeightTan } = this.plannedTangents();
      const [lift, half] = [this.layout.liftTan, this.opened.scale * halfHeightTan];
      const [bottomDeg, topDeg] = [Math.atan(lift - half) * degrees, Math.atan(lift + half) * degrees];
      return [Math.min(this.layout.contentPitchDeg[0], bottomDeg), Math.max(this.layout.contentPitchDeg[1], topDeg)];
    }
    return this.deps.gallery.pitchRangeDeg(this.deps.eyeHeightMeters) ?? [-30, 30];
  }

  /**
   * After a frame: the angle the opened flat item is shown at, the scale (shown tangents ÷ planned) and
   * the PPD its layers are chosen for; on a desktop where it, a video's seek bar and the first neighbour
   * are on the canvas (CSS pixels, "left,top,width,height"); in a headset how far from where the head
   * looks the farthest neighbour is.
   */
  publishPlacement(): void {
    const view = this.opened.media;
    if (!view || view.surface.projection !== 'flat') return;
    const { halfWidthTan, halfHeightTan } = this.plannedTangents();
    const scale = this.opened.scale;
    const common = {
      openedScale: scale.toFixed(3),
      openedWidthDeg: (2 * Math.atan(scale * halfWidthTan) * degrees).toFixed(1),
      openedPpd: (this.deps.display().ppd * scale).toFixed(1),
      displayPpd: this.deps.display().ppd.toFixed(2),
    };
    if (this.deps.renderer.xr.isPresenting) {
      const eye = this.deps.camera.getWorldPosition(new Vector3());
      const ahead = this.deps.camera.getWorldDirection(new Vector3());
      const offsets = this.neighbours.pickables.map((mesh) => mesh.getWorldPosition(new Vector3()).sub(eye).angleTo(ahead) * degrees);
      return publishViewerState({ ...common, neighboursWithinDeg: offsets.length > 0 ? Math.max(...offsets).toFixed(1) : '' });
    }
    const distance = view.distanceMeters;
    const frame = this.opened.shownFrame;
    frame.updateMatrixWorld(true);
    const corners = [-1, 1].flatMap((x) =>
      [-1, 1].map((y) => frame.localToWorld(new Vector3(x * distance * halfWidthTan, y * distance * halfHeightTan, -distance))),
    );
    const seekBar = view.pickables().find((object): object is Mesh => object instanceof Mesh && object.name === 'seek-bar');
    const neighbour = this.neighbours.entries[0]?.mesh;
    publishViewerState({
      ...common,
      openedRect: this.canvasRect(corners),
      seekBarRect: seekBar ? this.canvasRect(boxCorners(seekBar)) : '',
      neighbourRect: neighbour ? this.canvasRect(boxCorners(neighbour)) : '',
    });
  }

  private canvasRect(points: readonly Vector3[]): string {
    const canvas = this.deps.renderer.domElement.getBoundingClientRect();
    const projected = points.map((point) => point.clone().project(this.deps.camera));
    if (projected.some((point) => point.z > 1)) return 'behind';
    const xs = projected.map((point) => ((point.x + 1) / 2) * canvas.width);
    const ys = projected.map((point) => ((1 - point.y) / 2) * canvas.height);
    const [left, top] = [Math.min(...xs), Math.min(...ys)];
    return [left, top, Math.max(...xs) - left, Math.max(...ys) - top].map((value) => value.toFixed(1)).join(',');
  }

  /**
   * The configured panel for this item's aspect against the planned one: 1, or more for a small photo
   * planned smaller than the panel (surfaceForImage), which a coarser display may show larger.
   */
  private configuredScale(): number {
    const item = this.opened.item!;
    const { foveation } = this.deps.settings;
    const panel = foveation.surfaces.panel;
    const configured = panelSurface('panel', panel, item.widthPx / item.heightPx);
    return Math.max(1, Math.tan(configured.yawDeg[1] * radians) / this.plannedTangents().halfWidthTan);
  }

  private plannedTangents(): { halfWidthTan: number; halfHeightTan: number } {
    const surface = this.opened.media!.surface;
    return { halfWidthTan: Math.tan(surface.yawDeg[1] * radians), halfHeightTan: Math.tan(surface.pitchDeg[1] * radians) };
  }

  /** The most zoom: one device pixel per source pixel across the panel (never below the fit). */
  private maxZoom(): number {
    const item = this.opened.item;
    if (!this.layout || !item) return 1;
    const drawing = this.deps.renderer.getDrawingBufferSize(new Vector2());
    const tanHalfH = Math.tan((this.deps.camera.fov / 2) * radians) * this.deps.camera.aspect;
    const fullScale = (item.widthPx * tanHalfH) / (this.plannedTangents().halfWidthTan * drawing.x);
    return Math.max(1, fullScale / this.layout.scale);
  }

  /** The neighbours' row: where the desktop layout reserved it, or in a headset a glance under the panel. */
  private neighbourPlacement(): StripPlacement {
    const desktopRow = this.deps.renderer.xr.isPresenting ? undefined : this.layout?.row;
    const row = desktopRow?.stepDeg
      ? desktopRow
      : { ...rowCells(this.deps.settings.neighbours.count, Infinity), pitchDeg: this.headsetRowPitchDeg() };
    const distance = neighbourDistanceMeters;
    return {
      distanceMeters: distance,
      pitchDeg: row.pitchDeg,
      stepDeg: row.stepDeg,
      cellWidthMeters: 2 * distance * Math.tan((row.cellWidthDeg / 2) * radians),
      cellHeightMeters: 2 * distance * Math.tan((row.cellHeightDeg / 2) * radians),
    };
  }

  /** Outside the desktop layout: a little under the panel's bottom edge, within a glance; in a sphere, well down. */
  private headsetRowPitchDeg(): number {
    if (this.opened.media?.surface.projection !== 'flat') return sphereRowPitchDeg;
    const bottomDeg = -Math.atan(this.opened.scale * this.plannedTangents().halfHeightTan) * degrees;
    const [lowest, highest] = headsetRowPitchDeg;
    return Math.max(lowest, Math.min(highest, bottomDeg - headsetRowGapDeg));
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
    const shown = await this.neighbours.show(similar, this.neighbourPlacement(), this.deps.loader, this.deps.requestRender, thumbnailsWhen);
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

/** The corners of a mesh's own bounding box, in world space (a world-aligned box of a turned panel would be larger). */
function boxCorners(mesh: Mesh): Vector3[] {
  mesh.geometry.computeBoundingBox();
  const box = mesh.geometry.boundingBox!;
  mesh.updateWorldMatrix(true, false);
  return [0, 1, 2, 3, 4, 5, 6, 7].map((bits) =>
    mesh.localToWorld(new Vector3(bits & 1 ? box.max.x : box.min.x, bits & 2 ? box.max.y : box.min.y, bits & 4 ? box.max.z : box.min.z)),
  );
}
