import { Group, Vector3, type Object3D } from 'three';
import type { ItemManifest } from '../../functions/domain/items/types.js';
import type { TileTextureLoader } from './foveated/TileTextureLoader.js';
import { GalleryPanel } from './GalleryPanel.js';
import { galleryLayout, type GalleryLayout } from './galleryLayout.js';
import { neighbourPanel, type BrowseDirection } from './neighbourPanel.js';
import { pickPreview } from './pickPreview.js';

export interface ThumbsLoaded {
  loaded: number;
  failed: number;
}

/** The panels of all loaded items, their layout, and which one is selected. */
export class Gallery {
  readonly object = new Group();
  private panels: GalleryPanel[] = [];
  private layout: GalleryLayout = galleryLayout([]);
  private selected = -1;

  get count(): number {
    return this.panels.length;
  }

  get selectedIndex(): number {
    return this.selected;
  }

  panel(index: number): GalleryPanel | undefined {
    return this.panels[index];
  }

  indexOf(itemId: string): number {
    return this.panels.findIndex((panel) => panel.item.itemId === itemId);
  }

  /** Index of the panel whose picture is `object`, or -1. */
  indexOfObject(object: Object3D): number {
    return this.panels.findIndex((panel) => panel.picture === object);
  }

  /**
   * The pitches, seen from an eye at `eyeHeightMeters` on the axis, of the lowest and highest panel edges
   * (undefined while empty): where there is something to look at.
   */
  pitchRangeDeg(eyeHeightMeters: number): [number, number] | undefined {
    const pitches = this.layout.placements.flatMap((placement) => {
      const across = Math.hypot(placement.xMeters, placement.zMeters);
      return [-1, 1].map(
        (side) => Math.atan2(placement.yMeters + (side * placement.heightMeters) / 2 - eyeHeightMeters, across) * (180 / Math.PI),
      );
    });
    return pitches.length > 0 ? [Math.min(...pitches), Math.max(...pitches)] : undefined;
  }

  /** The meshes a ray can hit. */
  get pickables(): Object3D[] {
    return this.panels.map((panel) => panel.picture);
  }

  /** Adds items not shown yet, lays everything out again, and returns the new panels (thumbnails not loaded). */
  append(items: readonly ItemManifest[]): GalleryPanel[] {
    const known = new Set(this.panels.map((panel) => panel.item.itemId));
    const fresh = items.filter((item) => !known.has(item.itemId));
    const all = [...this.panels.map((panel) => panel.item), ...fresh];
    this.layout = galleryLayout(all.map((item) => pickPreview(item, 'thumb') ?? item));
    const added = fresh.map((item, offset) => new GalleryPanel(item, this.placement(this.panels.length + offset)));
    this.panels.push(...added);
    this.panels.forEach((panel, index) => panel.place(this.placement(index)));
    this.object.add(...added.map((panel) => panel.object));
    return added;
  }

  async loadThumbs(panels: readonly GalleryPanel[], loader: TileTextureLoader, onEach: () => void): Promise<ThumbsLoaded> {
    const results = await Promise.all(
      panels.map(async (panel) => {
        const ok = await panel.loadThumb(loader);
        onEach();
        return ok;
      }),
    );
    const loaded = results.filter(Boolean).length;
    return { loaded, failed: results.length - loaded };
  }

  /** A newer record of an item shown (its layers became ready). */
  replaceItem(item: ItemManifest): void {
    const panel = this.panels[this.indexOf(item.itemId)];
    if (panel) panel.item = item;
  }

  /** Selects a panel (or none with -1); returns whether the selection changed. */
  select(index: number): boolean {
    const next = index >= 0 && index < this.panels.length ? index : -1;
    if (next === this.selected) return false;
    this.panels[this.selected]?.setSelected(false);
    this.selected = next;
    this.panels[next]?.setSelected(true);
    return true;
  }

  /** The panel closest to where `viewDirection` from `eye` points, or -1 if there are none. */
  nearestTo(eye: Vector3, viewDirection: Vector3): number {
    const toPanel = new Vector3();
    let best = -1;
    let bestCosine = -Infinity;
    this.panels.forEach((panel, index) => {
      const cosine = panel.object.getWorldPosition(toPanel).sub(eye).normalize().dot(viewDirection);
      if (cosine > bestCosine) {
        best = index;
        bestCosine = cosine;
      }
    });
    return best;
  }

  neighbour(index: number, direction: BrowseDirection): number {
    return neighbourPanel(this.layout, index, direction);
  }

  setDimmed(dimmed: boolean): void {
    for (const panel of this.panels) panel.setDimmed(dimmed);
  }

  private placement(index: number) {
    const placement = this.layout.placements[index];
    if (!placement) throw new RangeError(`no placement for panel ${index} of ${this.layout.placements.length}`);
    return placement;
  }
}
