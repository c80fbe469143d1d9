import { Group, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, type Texture, type TextureLoader } from 'three';
import type { ItemManifest } from '../../functions/items/types.js';
import type { PanelPlacement } from './galleryLayout.js';
import { pickPreview } from './pickPreview.js';
import { previewUrl } from './previewUrl.js';

const placeholderColor = 0x2a2e35;
const frameColor = 0xe8eaed;
const frameMarginMeters = 0.025;
const selectedScale = 1.06;
/** Linear-light factor: 0.08 is about a third of the brightness on screen. */
const dimmedBrightness = 0.08;

/**
 * One item in the gallery: its thumbnail on a plane sized in meters from the
 * manifest's pixel aspect, and a light frame behind it while selected.
 */
export class GalleryPanel {
  readonly object = new Group();
  readonly picture: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private readonly frame: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private texture: Texture | undefined;
  private dimmed = false;

  constructor(
    readonly item: ItemManifest,
    placement: PanelPlacement,
  ) {
    this.picture = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: placeholderColor }));
    this.frame = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: frameColor }));
    this.frame.position.z = -0.005;
    this.frame.visible = false;
    this.object.add(this.frame, this.picture);
    this.place(placement);
  }

  /** Thumbnail texture once loaded; the opened view shows it while the larger preview loads. */
  get thumbTexture(): Texture | undefined {
    return this.texture;
  }

  place(placement: PanelPlacement): void {
    this.picture.scale.set(placement.widthMeters, placement.heightMeters, 1);
    this.frame.scale.set(placement.widthMeters + 2 * frameMarginMeters, placement.heightMeters + 2 * frameMarginMeters, 1);
    this.object.position.set(placement.xMeters, placement.yMeters, placement.zMeters);
    this.object.rotation.set(placement.pitchRadians, placement.yawRadians, 0, 'YXZ');
  }

  /** Resolves true once the thumbnail shows, false if it could not be loaded (the placeholder stays). */
  async loadThumb(loader: TextureLoader, maxAnisotropy: number): Promise<boolean> {
    const preview = pickPreview(this.item, 'thumb');
    if (!preview) return false;
    try {
      const texture = await loader.loadAsync(previewUrl(preview));
      texture.colorSpace = SRGBColorSpace;
      texture.anisotropy = maxAnisotropy;
      this.texture = texture;
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
