import { Group, Mesh, MeshBasicMaterial, PlaneGeometry, type Object3D } from 'three';
import { fitPanelMeters } from '../fitPanelMeters.js';
import type { TileTextureLoader } from '../foveated/TileTextureLoader.js';
import type { SimilarItem } from './fetchSimilar.js';

export interface StripPlacement {
  /** Distance from the frame's origin (the eye). */
  distanceMeters: number;
  /** Where the row sits: below the opened surface, or a little under eye level for search results. */
  pitchDeg: number;
  /** Angle between neighbouring panels' centres. */
  stepDeg: number;
  cellWidthMeters: number;
  cellHeightMeters: number;
}

/**
 * A row of small panels on an arc around the frame's origin, each facing
 * it: the opened item's nearest neighbours (below the item), or the
 * results of a search by image. Each shows its thumbnail; selecting one
 * opens that item.
 */
export class SimilarStrip {
  readonly object = new Group();
  private readonly panels: { item: SimilarItem; mesh: Mesh<PlaneGeometry, MeshBasicMaterial> }[] = [];
  private generation = 0;

  get count(): number {
    return this.panels.length;
  }

  get pickables(): Object3D[] {
    return this.panels.map((panel) => panel.mesh);
  }

  itemAt(object: Object3D): SimilarItem | undefined {
    return this.panels.find((panel) => panel.mesh === object)?.item;
  }

  /** Replaces the row; resolves with how many thumbnails showed, once all have settled. */
  async show(items: readonly SimilarItem[], placement: StripPlacement, loader: TileTextureLoader, onChange: () => void): Promise<number> {
    this.clear();
    const generation = this.generation;
    const first = -((items.length - 1) / 2) * placement.stepDeg;
    items.forEach((item, index) => {
      const { widthMeters, heightMeters } = fitPanelMeters(item.widthPx, item.heightPx, placement.cellWidthMeters, placement.cellHeightMeters);
      const mesh = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: 0x2a2e35 }));
      mesh.scale.set(widthMeters, heightMeters, 1);
      const yaw = ((first + index * placement.stepDeg) * Math.PI) / 180;
      const pitch = (placement.pitchDeg * Math.PI) / 180;
      mesh.position.set(
        Math.cos(pitch) * Math.sin(yaw) * placement.distanceMeters,
        Math.sin(pitch) * placement.distanceMeters,
        -Math.cos(pitch) * Math.cos(yaw) * placement.distanceMeters,
      );
      mesh.lookAt(0, 0, 0);
      mesh.name = `similar:${item.itemId}`;
      this.panels.push({ item, mesh });
      this.object.add(mesh);
    });
    onChange();
    const loaded = await Promise.all(
      this.panels.map(async ({ item, mesh }) => {
        if (!item.thumbKey) return false;
        try {
          const { texture } = await loader.load([{ format: 'webp', mime: 'image/webp', key: item.thumbKey, bytes: 0 }], new AbortController().signal);
          if (generation !== this.generation) {
            texture.dispose();
            return false;
          }
          texture.repeat.set(1, -1);
          texture.offset.set(0, 1);
          mesh.material.map = texture;
          mesh.material.color.setHex(0xffffff);
          mesh.material.needsUpdate = true;
          onChange();
          return true;
        } catch {
          return false;
        }
      }),
    );
    return loaded.filter(Boolean).length;
  }

  clear(): void {
    this.generation += 1;
    for (const { mesh } of this.panels) {
      this.object.remove(mesh);
      mesh.material.map?.dispose();
      mesh.material.dispose();
      mesh.geometry.dispose();
    }
    this.panels.length = 0;
  }
}
