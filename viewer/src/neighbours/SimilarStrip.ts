import { MeshBasicMaterial } from 'three';
import { fitPanelMeters } from '../fitPanelMeters.js';
import type { TileTextureLoader } from '../foveated/TileTextureLoader.js';
import { PanelRow, type RowPlacement } from '../PanelRow.js';
import type { SimilarItem } from './fetchSimilar.js';

export interface StripPlacement extends RowPlacement {
  cellWidthMeters: number;
  cellHeightMeters: number;
}

/**
 * A row of small panels on an arc around the frame's origin, each facing
 * it: the opened item's nearest neighbours (below the item), or the
 * results of a search by image. Each shows its thumbnail; selecting one
 * opens that item.
 */
export class SimilarStrip extends PanelRow<SimilarItem> {
  private generation = 0;

  /**
   * Replaces the row at once; its thumbnails are fetched once `fetchWhen`
   * resolves (the opened item's sharp view comes first). Resolves with how
   * many thumbnails showed, once all have settled.
   */
  async show(
    items: readonly SimilarItem[],
    placement: StripPlacement,
    loader: TileTextureLoader,
    onChange: () => void,
    fetchWhen?: Promise<void>,
  ): Promise<number> {
    this.clear();
    const generation = this.generation;
    items.forEach((item, index) => {
      const { widthMeters, heightMeters } = cellSize(item, placement);
      this.add(item, new MeshBasicMaterial({ color: 0x2a2e35 }), widthMeters, heightMeters, index, items.length, placement).name =
        `similar:${item.itemId}`;
    });
    onChange();
    await fetchWhen;
    if (generation !== this.generation) return 0;
    const loaded = await Promise.all(
      this.entries.map(async ({ value: item, mesh }) => {
        if (!item.thumbKey) return false;
        try {
          const { texture } = await loader.load(
            [{ format: 'webp', mime: 'image/webp', key: item.thumbKey, bytes: 0 }],
            new AbortController().signal,
          );
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

  /** The same panels in a new place (the opened item was laid out again). */
  rearrange(placement: StripPlacement): void {
    this.arrange(placement, (item) => cellSize(item, placement));
  }

  override clear(): void {
    this.generation += 1;
    super.clear();
  }
}

function cellSize(item: SimilarItem, placement: StripPlacement) {
  return fitPanelMeters(item.widthPx, item.heightPx, placement.cellWidthMeters, placement.cellHeightMeters);
}
