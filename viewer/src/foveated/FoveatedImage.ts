import { Group, Mesh, Scene, type BufferGeometry, type Texture, type WebGLRenderer } from 'three';
import type {
  DisplayProfile,
  FoveatedManifest,
  LayerRole,
  ManifestProfile,
  NormalizedRect,
  SurfaceSpec,
} from '../../../functions/domain/foveate/index.js';
import { ChangeLog } from './ChangeLog.js';
import { chooseManifestProfile } from './chooseManifestProfile.js';
import { decodedTextureBytes } from './decodedTextureBytes.js';
import { edgeLodBias } from './edgeLodBias.js';
import { FoveatedTileMaterial } from './FoveatedTileMaterial.js';
import { rectDistanceDeg } from './rectDistanceDeg.js';
import { RequestScheduler } from './RequestScheduler.js';
import { selectGazeTiles, type GazeTile } from './selectGazeTiles.js';
import { angleBetweenDeg, type Direction } from './surfaceDirection.js';
import { surfaceTileGeometry } from './surfaceTileGeometry.js';
import { textureSpaceGeometry } from './textureSpaceGeometry.js';
import { texturesToRelease } from './texturesToRelease.js';
import type { FetchedTile, TileTextureLoader } from './TileTextureLoader.js';

export interface FoveatedImageSettings {
  concurrency: number;
  hysteresisDeg: number;
  updateIntervalMs: number;
  minGazeChangeDeg: number;
  textureBudgetBytes: number;
  /** Where a surface is drawn: a flat panel's distance, a sphere's radius. */
  distanceMeters(surface: SurfaceSpec): number;
}

export interface FoveatedImageEvents {
  /** Something new is drawn (or was removed): render a frame. */
  onChange(): void;
  /** Every tile of the finest layer the gaze needs (the full-PPD tiles where the display shows them) is drawn. */
  onFovealSharp?(): void;
}

/** One texture on the surface: a layer tile, or the placeholder shown until the base arrives. */
interface DrawnTexture {
  key: string;
  role: LayerRole | 'placeholder';
  mesh: Mesh<BufferGeometry, FoveatedTileMaterial>;
  /** The same tile in source coordinates, for compositing into one texture (textureSpace). */
  flatMesh: Mesh<BufferGeometry, FoveatedTileMaterial>;
  texture: Texture;
  /** The gallery's thumbnail is the gallery's to dispose. */
  ownsTexture: boolean;
  bytes: number;
  ppd: number;
  rect: NormalizedRect;
}

const placeholderKey = 'placeholder';

/**
 * An image shown from its foveated layers (docs/foveation.md): a
 * placeholder at once (the gallery's decoded base layer, or the first
 * preview while the layers are being made), then the base of the profile
 * chosen for the measured display, then the rings and full-PPD tiles the
 * gaze needs, fetched by priority and cancelled when the gaze moves on,
 * released when it has moved away or the texture budget is reached. Each
 * texture is its own mesh on the surface, painted coarse to fine by the
 * tile shader.
 */
export class FoveatedImage {
  readonly object = new Group();
  /**
   * Every drawn texture again, laid out over the unit square (x = u, y = 1 - v):
   * rendered with an orthographic camera it composites the whole image into one
   * texture, for a WebXR composition layer. `changes` logs what changed in it.
   */
  readonly textureSpace = new Scene();
  readonly changes = new ChangeLog();
  private manifest: FoveatedManifest | undefined;
  private profile: ManifestProfile | undefined;
  private readonly drawn = new Map<string, DrawnTexture>();
  private readonly failed = new Set<string>();
  /** Fetched, not yet drawn: not to be requested again meanwhile. */
  private readonly decodingKeys = new Set<string>();
  private readonly scheduler: RequestScheduler<FetchedTile & { selected: GazeTile }>;
  /** Fetched tiles being decoded, aborted if the image closes meanwhile. */
  private readonly decoding = new AbortController();
  private lastGaze: Direction | undefined;
  private lastDisplayPpd = 0;
  private lastUpdateMs = -Infinity;
  private dirty = true;
  private fovealSharp = false;
  private disposed = false;
  /** Decoded texture bytes now, and the most at any time since it opened. */
  readonly stats = { decodedBytes: 0, decodedBytesMax: 0 };
  /** Tiles of the finest layer the current gaze needs (the full-PPD tiles, if the display can show them) not drawn yet (-1 before the layers are known). */
  fovealPending = -1;
  /** Tiles of any layer the current gaze needs that are not drawn yet (-1 before the layers are known). */
  layersPending = -1;

  constructor(
    private surface: SurfaceSpec,
    private readonly loader: TileTextureLoader,
    private readonly renderer: WebGLRenderer,
    private readonly settings: FoveatedImageSettings,
    private readonly events: FoveatedImageEvents,
  ) {
    this.scheduler = new RequestScheduler(settings.concurrency, {
      onLoad: (key, fetched) => void this.onTileFetched(key, fetched),
      onError: (key) => {
        this.failed.add(key);
        this.dirty = true;
      },
    });
  }

  get currentSurface(): SurfaceSpec {
    return this.surface;
  }

  get layersManifest(): FoveatedManifest | undefined {
    return this.manifest;
  }

  get chosenProfile(): ManifestProfile | undefined {
    return this.profile;
  }

  /** How far the picture has come: nothing, a stand-in, its own layers, every full-PPD tile the gaze needs. */
  get progress(): 'none' | 'placeholder' | 'base' | 'sharp' {
    if (this.fovealSharp) return 'sharp';
    const roles = [...this.drawn.values()].map((entry) => entry.role);
    if (roles.some((role) => role !== 'placeholder')) return 'base';
    return roles.length > 0 ? 'placeholder' : 'none';
  }

  /** How many textures of `role` are drawn now. */
  drawnCount(role: LayerRole): number {
    return [...this.drawn.values()].filter((entry) => entry.role === role).length;
  }

  /** Keys of the textures drawn now (layer/col_row, or 'placeholder'). */
  get drawnKeys(): string[] {
    return [...this.drawn.keys()];
  }

  /**
   * Shows `texture` over the whole image until the chosen profile's base is
   * drawn. `key` is the tile it is (the base named by the item record, so
   * it is not fetched again), or undefined for a preview or thumbnail.
   */
  setPlaceholder(
    texture: Texture,
    widthPx: number,
    heightPx: number,
    options: { ownsTexture: boolean; key?: string; role?: LayerRole },
  ): void {
    const key = options.key ?? placeholderKey;
    const rect: NormalizedRect = [0, 0, 1, 1];
    const yawSpanDeg = Math.abs(this.surface.yawDeg[1] - this.surface.yawDeg[0]);
    this.draw({
      key,
      role: options.role ?? 'placeholder',
      texture,
      ownsTexture: options.ownsTexture,
      bytes: options.ownsTexture ? decodedTextureBytes(widthPx, heightPx) : 0,
      ppd: widthPx / yawSpanDeg,
      rect,
      layout: { rect, textureRect: rect, widthPx, heightPx },
      paintOrder: 0,
    });
  }

  /** The layers are known: from now on update() fetches what the gaze needs. */
  setManifest(manifest: FoveatedManifest): void {
    this.manifest = manifest;
    if (!sameSurface(manifest.surface, this.surface)) {
      this.surface = manifest.surface;
      for (const entry of this.drawn.values()) this.replaceGeometry(entry);
    }
    this.dirty = true;
  }

  /**
   * Called every frame with the gaze (a unit direction in the item's frame)
   * and the measured display; does work only when the gaze moved, the
   * display changed or a tile arrived, and at most every updateIntervalMs.
   * `eyeTracked`: the gaze is the eyes', not the head's (selectGazeTiles).
   */
  update(nowMs: number, gaze: Direction, display: DisplayProfile, eyeTracked = false): void {
    if (!this.manifest || this.disposed) return;
    const profile = chooseManifestProfile(this.manifest, display);
    const moved = !this.lastGaze || angleBetweenDeg(gaze, this.lastGaze) >= this.settings.minGazeChangeDeg;
    const changed = profile !== this.profile || display.ppd !== this.lastDisplayPpd;
    if (!changed && !this.dirty && !moved) return;
    if (!changed && nowMs - this.lastUpdateMs < this.settings.updateIntervalMs) return;
    this.profile = profile;
    this.lastDisplayPpd = display.ppd;
    this.lastGaze = gaze;
    this.lastUpdateMs = nowMs;
    this.dirty = false;

    const budget = { maxDecodedBytes: this.settings.textureBudgetBytes, eyeTracked, displayPpd: display.ppd };
    const needed = selectGazeTiles(this.manifest, profile, gaze, budget);
    const kept = new Set(
      selectGazeTiles(this.manifest, profile, gaze, { ...budget, hysteresisDeg: this.settings.hysteresisDeg }).map(tileKey),
    );
    this.scheduler.update(
      needed.filter((tile) => this.isMissing(tile) && !this.decodingKeys.has(tileKey(tile))).map((tile) => this.request(tile)),
      kept,
    );
    this.release(gaze, kept, profile);
    const missing = needed.filter((selected) => this.isMissing(selected));
    const foveal = finestLayerTiles(needed);
    const pending = missing.filter((selected) => foveal.includes(selected)).length;
    if (pending !== this.fovealPending || missing.length !== this.layersPending || changed) {
      this.fovealPending = pending;
      this.layersPending = missing.length;
      this.events.onChange();
    }
    this.checkFovealSharp(foveal);
  }

  dispose(): void {
    this.disposed = true;
    this.scheduler.cancelAll();
    this.decoding.abort();
    for (const key of [...this.drawn.keys()]) this.remove(key);
  }

  /** Wanted and not drawn (nor known to fail). */
  private isMissing(selected: GazeTile): boolean {
    const key = tileKey(selected);
    return !this.drawn.has(key) && !this.failed.has(key);
  }

  private request(selected: GazeTile) {
    const key = tileKey(selected);
    return {
      key,
      priority: selected.priority,
      load: async (signal: AbortSignal) => {
        const fetched = await this.loader.fetchFile(selected.tile.files, signal);
        if (!fetched) throw new Error(`no file of ${key} in a format this browser decodes`);
        return { ...fetched, selected };
      },
    };
  }

  /** The network slot is free again; decode, then draw unless the image closed meanwhile. */
  private async onTileFetched(key: string, fetched: FetchedTile & { selected: GazeTile }): Promise<void> {
    const { layer, tile, layerIndex } = fetched.selected;
    let texture: Texture;
    this.decodingKeys.add(key);
    try {
      texture = await this.loader.decode(fetched, this.decoding.signal, layer.role !== 'base');
    } catch {
      // An undecodable format is skipped next time (another format may follow); anything else is a failed tile.
      if (!this.disposed && !tile.files.some((file) => file !== fetched.file)) this.failed.add(key);
      this.dirty = true;
      return;
    } finally {
      this.decodingKeys.delete(key);
    }
    if (this.disposed) {
      texture.dispose();
      return;
    }
    this.draw({
      key,
      role: layer.role,
      texture,
      ownsTexture: true,
      bytes: decodedTextureBytes(tile.widthPx, tile.heightPx, layer.role !== 'base'),
      ppd: layer.ppd,
      rect: tile.rect,
      layout: tile,
      paintOrder: layerIndex + 1,
    });
    this.renderer.initTexture(texture);
    this.dirty = true;
  }

  private draw(
    entry: Omit<DrawnTexture, 'mesh' | 'flatMesh'> & { layout: ConstructorParameters<typeof FoveatedTileMaterial>[1]; paintOrder: number },
  ): void {
    this.remove(entry.key);
    const geometry = surfaceTileGeometry(this.surface, entry.rect, this.settings.distanceMeters(this.surface));
    const material = new FoveatedTileMaterial(entry.texture, entry.layout, entry.paintOrder);
    const mesh = new Mesh(geometry, material);
    const flatMesh = new Mesh(textureSpaceGeometry(entry.rect), material);
    mesh.renderOrder = FoveatedTileMaterial.renderOrder(entry.paintOrder);
    // The composite into one texture runs only on a change and has no depth to rely on: painter's order.
    flatMesh.renderOrder = entry.paintOrder;
    mesh.name = flatMesh.name = entry.key;
    const drawn: DrawnTexture = {
      key: entry.key,
      role: entry.role,
      mesh,
      flatMesh,
      texture: entry.texture,
      ownsTexture: entry.ownsTexture,
      bytes: entry.bytes,
      ppd: entry.ppd,
      rect: entry.rect,
    };
    this.drawn.set(entry.key, drawn);
    this.object.add(mesh);
    this.textureSpace.add(flatMesh);
    this.stats.decodedBytes += entry.bytes;
    this.stats.decodedBytesMax = Math.max(this.stats.decodedBytesMax, this.stats.decodedBytes);
    this.updateEdges([entry.rect]);
    this.events.onChange();
  }

  private remove(key: string): void {
    const entry = this.drawn.get(key);
    if (!entry) return;
    this.drawn.delete(key);
    this.object.remove(entry.mesh);
    this.textureSpace.remove(entry.flatMesh);
    entry.flatMesh.geometry.dispose();
    entry.mesh.geometry.dispose();
    entry.mesh.material.dispose();
    if (entry.ownsTexture) entry.texture.dispose();
    this.stats.decodedBytes -= entry.bytes;
  }

  private replaceGeometry(entry: DrawnTexture): void {
    entry.mesh.geometry.dispose();
    entry.mesh.geometry = surfaceTileGeometry(this.surface, entry.rect, this.settings.distanceMeters(this.surface));
  }

  /** Gives back what the gaze left behind; the placeholder goes once the profile's base covers it. */
  private release(gaze: Direction, kept: ReadonlySet<string>, profile: ManifestProfile): void {
    const baseKey = `${profile.layers[0]}/0_0`;
    const baseDrawn = this.drawn.has(baseKey);
    const loaded = [...this.drawn.values()].map((entry) => ({
      key: entry.key,
      bytes: entry.bytes,
      wanted: entry.key === placeholderKey || entry.role === 'placeholder' ? !baseDrawn : kept.has(entry.key),
      distanceDeg: entry.role === 'base' || entry.role === 'placeholder' ? 0 : rectDistanceDeg(this.surface, entry.rect, gaze),
      pinned: entry.key === baseKey,
    }));
    const released = texturesToRelease(loaded, this.settings.textureBudgetBytes);
    const releasedRects = released.map((key) => this.drawn.get(key)!.rect);
    for (const key of released) this.remove(key);
    if (released.length > 0) {
      this.updateEdges(releasedRects);
      this.events.onChange();
    }
  }

  private checkFovealSharp(foveal: readonly GazeTile[]): void {
    if (this.fovealSharp) return;
    if (foveal.length === 0 || !foveal.every((selected) => this.drawn.has(tileKey(selected)))) return;
    this.fovealSharp = true;
    this.events.onFovealSharp?.();
  }

  /** After `changed` (rects drawn or released): edge biases again, and the change logged with every rect they altered. */
  private updateEdges(changed: readonly NormalizedRect[]): void {
    const wrapU = this.surface.projection === 'equirect' && Math.abs(this.surface.yawDeg[1] - this.surface.yawDeg[0]) >= 360;
    const entries = [...this.drawn.values()];
    const biases = edgeLodBias(entries, wrapU);
    const rebiased = entries.filter((entry) => entry.mesh.material.setEdgeBias(biases.get(entry.key) ?? [0, 0, 0, 0]));
    this.changes.record([...changed, ...rebiased.map((entry) => entry.rect)]);
  }
}

/** The needed tiles of the finest layer needed: what makes the view sharp where the eye looks. */
function finestLayerTiles(needed: readonly GazeTile[]): GazeTile[] {
  const finest = Math.max(...needed.map((selected) => selected.layerIndex));
  return needed.filter((selected) => selected.layerIndex === finest);
}

/** A tile's identity, the same for all of its formats: `<layer>/<col>_<row>`. */
function tileKey(selected: Pick<GazeTile, 'layer' | 'tile'>): string {
  return `${selected.layer.name}/${selected.tile.col}_${selected.tile.row}`;
}

function sameSurface(a: SurfaceSpec, b: SurfaceSpec): boolean {
  return (
    a.projection === b.projection &&
    a.yawDeg[0] === b.yawDeg[0] &&
    a.yawDeg[1] === b.yawDeg[1] &&
    a.pitchDeg[0] === b.pitchDeg[0] &&
    a.pitchDeg[1] === b.pitchDeg[1]
  );
}
