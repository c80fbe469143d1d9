import { Group, Mesh, MeshBasicMaterial, PlaneGeometry, type Texture } from 'three';
import type { ManifestFile } from '../../functions/domain/foveate/index.js';
import type { ItemManifest } from '../../functions/domain/items/types.js';
import type { TileTextureLoader } from './foveated/TileTextureLoader.js';
import type { PanelPlacement } from './galleryLayout.js';
import type { GalleryTexture } from './media/ImageView.js';
import { pickPreview } from './pickPreview.js';

const placeholderColor = 0x2a2e35;
const frameColor = 0xe8eaed;
const frameMarginMeters = 0.025;
const selectedScale = 1.06;
/** Linear-light factor: 0.08 is about a third of the brightness on screen. */
const dimmedBrightness = 0.08;

/**
 * One item in the gallery: its thumbnail on a plane sized in meters from the
 * manifest's pixel aspect, and a light frame behind it while selected. The
 * thumbnail is the item's foveated base layer where the record names it (at
 * most 64 KB, AVIF or JPEG): opening the item then starts from a decoded
 * base. Items whose layers are still being made show their thumb.webp.
 */
export class GalleryPanel {
  readonly object = new Group();
  readonly picture: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private readonly frame: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private texture: Texture | undefined;
  private thumb: GalleryTexture | undefined;
  private dimmed = false;

  constructor(
    public item: ItemManifest,
    placement: PanelPlacement,
  ) {
    this.picture = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: placeholderColor }));
    this.frame = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: frameColor }));
    this.frame.position.z = -0.005;
    this.frame.visible = false;
    this.object.add(this.frame, this.picture);
    this.place(placement);
  }

  /** The decoded thumbnail once loaded; the opened item starts from it. */
  get galleryTexture(): GalleryTexture | undefined {
    return this.thumb;
  }

  place(placement: PanelPlacement): void {
    this.picture.scale.set(placement.widthMeters, placement.heightMeters, 1);
    this.frame.scale.set(placement.widthMeters + 2 * frameMarginMeters, placement.heightMeters + 2 * frameMarginMeters, 1);
    this.object.position.set(placement.xMeters, placement.yMeters, placement.zMeters);
    this.object.rotation.set(placement.pitchRadians, placement.yawRadians, 0, 'YXZ');
  }

  /** Resolves true once the thumbnail shows, false if it could not be loaded (the placeholder stays). */
  async loadThumb(loader: TileTextureLoader): Promise<boolean> {
    const source = thumbSource(this.item);
    if (!source) return false;
    try {
      const { texture } = await loader.load(source.files, new AbortController().signal);
      // Uploaded top row first (as the tile shader wants): flip it back for this plane's uvs.
      texture.repeat.set(1, -1);
      texture.offset.set(0, 1);
      this.texture = texture;
      this.thumb = { texture, widthPx: source.widthPx, heightPx: source.heightPx, ...(source.baseKey ? { baseKey: source.baseKey } : {}) };
      this.picture.material.map = texture;
      this.picture.material.needsUpdate = true;
      this.applyColor();
      return true;
    } catch {
      return false;
    }
  }

  setSelected(selected: boolean): void {
    this.frame.visible = selected;
    this.object.scale.setScalar(selected ? selectedScale : 1);
  }

  /** Dimmed while another item is open, so the opened one stands out. */
  setDimmed(dimmed: boolean): void {
    this.dimmed = dimmed;
    this.applyColor();
  }

  /** The material colour multiplies the texture: white shows it as is, the placeholder has no texture. */
  private applyColor(): void {
    const color = this.picture.material.color.setHex(this.texture ? 0xffffff : placeholderColor);
    if (this.dimmed) color.multiplyScalar(dimmedBrightness);
  }

  dispose(): void {
    this.texture?.dispose();
    this.picture.geometry.dispose();
    this.picture.material.dispose();
    this.frame.geometry.dispose();
    this.frame.material.dispose();
  }
}

/** The base layer where the record names it, else the thumb.webp. */
function thumbSource(item: ItemManifest): { files: ManifestFile[]; widthPx: number; heightPx: number; baseKey?: string } | undefined {
  const base = item.foveated?.base;
  if (base) return { files: base.files, widthPx: base.widthPx, heightPx: base.heightPx, baseKey: `${base.layer}/0_0` };
  const thumb = pickPreview(item, 'thumb');
  if (!thumb) return undefined;
  return {
    files: [{ format: 'webp', mime: thumb.mime, key: thumb.key, bytes: thumb.bytes }],
    widthPx: thumb.widthPx,
    heightPx: thumb.heightPx,
  };
}
