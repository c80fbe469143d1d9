import { Group, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, Vector3, type Texture, type TextureLoader } from 'three';
import type { ItemManifest, PreviewImage } from '../../functions/items/types.js';
import { fitPanelMeters } from './fitPanelMeters.js';
import { pickPreview } from './pickPreview.js';
import { previewUrl } from './previewUrl.js';

/** Where the opened panel floats: close enough to fill most of a desktop view, comfortable in a headset. */
const distanceMeters = 1.5;
const maxWidthMeters = 2.0;
const maxHeightMeters = 1.3;

/** What the opened panel shows once settled. */
export type OpenedRole = PreviewImage['role'] | 'none';

/**
 * One item opened large in front of the viewer: its thumbnail at once (if the
 * gallery has it), then the 'preview' rendition when that has loaded.
 */
export class OpenedItem {
  readonly object = new Group();
  readonly picture = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: 0x2a2e35 }));
  private current: ItemManifest | undefined;
  private previewTexture: Texture | undefined;
  private openCount = 0;

  constructor() {
    this.object.add(this.picture);
    this.object.visible = false;
  }

  get item(): ItemManifest | undefined {
    return this.current;
  }

  /**
   * Shows `item` at distanceMeters from `eye` toward `direction`, facing the eye.
   * Resolves with what ended up on the panel, or undefined if another open or
   * a close came first.
   */
  async open(
    item: ItemManifest,
    eye: Vector3,
    direction: Vector3,
    thumb: Texture | undefined,
    loader: TextureLoader,
    maxAnisotropy: number,
  ): Promise<OpenedRole | undefined> {
    const openCount = ++this.openCount;
    this.releasePreview();
    this.current = item;
    const rendition = pickPreview(item, 'preview');
    const { widthMeters, heightMeters } = fitPanelMeters(
      rendition?.widthPx ?? item.widthPx,
      rendition?.heightPx ?? item.heightPx,
      maxWidthMeters,
      maxHeightMeters,
    );
    this.picture.scale.set(widthMeters, heightMeters, 1);
    this.object.position.copy(eye).addScaledVector(new Vector3().copy(direction).normalize(), distanceMeters);
    this.object.lookAt(eye);
    this.show(thumb);
    this.object.visible = true;
    if (!rendition) return thumb ? 'thumb' : 'none';

    try {
      const texture = await loader.loadAsync(previewUrl(rendition));
      if (openCount !== this.openCount) {
        texture.dispose();
        return undefined;
      }
      texture.colorSpace = SRGBColorSpace;
      texture.anisotropy = maxAnisotropy;
      this.previewTexture = texture;
      this.show(texture);
      return rendition.role;
    } catch {
      return openCount === this.openCount ? (thumb ? 'thumb' : 'none') : undefined;
    }
  }

  close(): void {
    this.openCount += 1;
    this.current = undefined;
    this.object.visible = false;
    this.show(undefined);
    this.releasePreview();
  }

  private show(texture: Texture | undefined): void {
    const material = this.picture.material;
    material.map = texture ?? null;
    material.color.setHex(texture ? 0xffffff : 0x2a2e35);
    material.needsUpdate = true;
  }

  private releasePreview(): void {
    this.previewTexture?.dispose();
    this.previewTexture = undefined;
  }
}
