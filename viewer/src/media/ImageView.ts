import type { Object3D, Texture, WebGLRenderer } from 'three';
import { surfaceForImage, type DisplayProfile, type SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import type { ItemManifest } from '../../../functions/domain/items/types.js';
import type { ManifestCache } from '../foveated/ManifestCache.js';
import { FoveatedImage, type FoveatedImageEvents } from '../foveated/FoveatedImage.js';
import type { Direction } from '../foveated/surfaceDirection.js';
import type { TileTextureLoader } from '../foveated/TileTextureLoader.js';
import { errorMessage } from '../errorMessage.js';
import { pickPreview } from '../pickPreview.js';
import type { ViewerSettings } from '../viewerSettings.js';
import type { MediaView } from './MediaView.js';

export interface ImageViewDeps {
  loader: TileTextureLoader;
  manifests: ManifestCache;
  renderer: WebGLRenderer;
  settings: ViewerSettings;
  events: FoveatedImageEvents & {
    /** Layers could not be loaded; the placeholder stays. */
    onError(message: string): void;
  };
}

/** A decoded texture the gallery already has for this item: its base layer, or its thumbnail. */
export interface GalleryTexture {
  texture: Texture;
  widthPx: number;
  heightPx: number;
  /** Set when it is the item's base layer (`<layer>/0_0`), so the layer is not fetched again. */
  baseKey?: string;
}

/**
 * An image item (or a video's poster): what the gallery already decoded at
 * once, then its foveated layers. An item still 'rendering' shows its first
 * preview until setItem() brings the record with the layers.
 */
export class ImageView implements MediaView {
  readonly image: FoveatedImage;
  private readonly abort = new AbortController();
  private item: ItemManifest;
  private manifestRequested = false;

  constructor(
    item: ItemManifest,
    galleryTexture: GalleryTexture | undefined,
    private readonly deps: ImageViewDeps,
  ) {
    this.item = item;
    const { settings } = deps;
    // Until foveated.json says otherwise, the surface the planner gives an image of this aspect.
    const surface = surfaceForImage({ widthPx: item.widthPx, heightPx: item.heightPx }, settings.foveation);
    this.image = new FoveatedImage(
      surface,
      deps.loader,
      deps.renderer,
      {
        ...settings.tiles,
        textureBudgetBytes: settings.textureBudgetBytes,
        distanceMeters: (shown) => distanceFor(shown, settings),
      },
      deps.events,
    );
    if (galleryTexture) {
      this.image.setPlaceholder(galleryTexture.texture, galleryTexture.widthPx, galleryTexture.heightPx, {
        ownsTexture: false,
        ...(galleryTexture.baseKey ? { key: galleryTexture.baseKey, role: 'base' } : {}),
      });
    }
    void this.start(galleryTexture);
  }

  get object(): Object3D {
    return this.image.object;
  }

  get surface(): SurfaceSpec {
    return this.image.currentSurface;
  }

  get distanceMeters(): number {
    return distanceFor(this.surface, this.deps.settings);
  }

  get progress() {
    return this.image.progress;
  }

  get layerImage(): FoveatedImage {
    return this.image;
  }

  get profileId() {
    return this.image.chosenProfile?.id;
  }

  get fovealPending() {
    return this.image.fovealPending;
  }

  get layersPending() {
    return this.image.layersPending;
  }

  get stats() {
    return this.image.stats;
  }

  pickables(): Object3D[] {
    return this.image.object.children;
  }

  update(nowMs: number, gaze: Direction, display: DisplayProfile, eyeTracked: boolean): void {
    this.image.update(nowMs, gaze, display, eyeTracked);
  }

  setItem(item: ItemManifest): void {
    this.item = item;
    void this.loadLayers();
  }

  dispose(): void {
    this.abort.abort();
    this.image.dispose();
  }

  private async start(galleryTexture: GalleryTexture | undefined): Promise<void> {
    const base = this.item.foveated?.base;
    const loads: Promise<unknown>[] = [this.loadLayers()];
    // The base layer before anything else: it is in the item record, no foveated.json needed.
    if (base && !galleryTexture?.baseKey) loads.unshift(this.loadPlaceholder(base.files, base.widthPx, base.heightPx, `${base.layer}/0_0`));
    else if (!this.item.foveated) {
      const preview = pickPreview(this.item, 'preview');
      if (preview)
        loads.unshift(
          this.loadPlaceholder(
            [{ format: 'webp', mime: preview.mime, key: preview.key, bytes: preview.bytes }],
            preview.widthPx,
            preview.heightPx,
          ),
        );
    }
    await Promise.all(loads);
  }

  private async loadPlaceholder(
    files: Parameters<TileTextureLoader['load']>[0],
    widthPx: number,
    heightPx: number,
    baseKey?: string,
  ): Promise<void> {
    try {
      const { texture } = await this.deps.loader.load(files, this.abort.signal, false);
      if (this.abort.signal.aborted) {
        texture.dispose();
        return;
      }
      // A layer tile that arrived first wins; the placeholder only fills in.
      if (baseKey && this.image.drawnKeys.includes(baseKey)) {
        texture.dispose();
        return;
      }
      this.image.setPlaceholder(texture, widthPx, heightPx, { ownsTexture: true, ...(baseKey ? { key: baseKey, role: 'base' } : {}) });
    } catch (error) {
      if (!this.abort.signal.aborted) this.deps.events.onError(`the first picture could not be loaded: ${errorMessage(error)}`);
    }
  }

  private async loadLayers(): Promise<void> {
    const ref = this.item.foveated;
    if (!ref || this.manifestRequested) return;
    this.manifestRequested = true;
    try {
      const manifest = await this.deps.manifests.get(ref);
      if (!this.abort.signal.aborted) this.image.setManifest(manifest);
    } catch (error) {
      if (!this.abort.signal.aborted) this.deps.events.onError(`the foveated layers could not be loaded: ${errorMessage(error)}`);
    }
  }
}

function distanceFor(surface: SurfaceSpec, settings: ViewerSettings): number {
  return surface.projection === 'flat' ? settings.scene.panelDistanceMeters : settings.scene.sphereRadiusMeters;
}
