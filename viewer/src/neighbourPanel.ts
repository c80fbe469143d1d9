import type { GalleryLayout } from './galleryLayout.js';

export type BrowseDirection = 'left' | 'right' | 'up' | 'down';

/**
 * The panel to move to from `index`: left/right step through reading order
 * (so every item is reachable with two keys), up/down go to the nearest panel
 * by angle in the row above or below. At an edge the index stays put.
 */
export function neighbourPanel(layout: GalleryLayout, index: number, direction: BrowseDirection): number {
  const count = layout.placements.length;
  if (count === 0) return -1;
  const current = layout.placements[index];
  if (!current) return 0;
  if (direction === 'left') return Math.max(0, index - 1);
  if (direction === 'right') return Math.min(count - 1, index + 1);
  const targetRow = current.row + (direction === 'up' ? -1 : 1);
  let best = index;
  let bestDistance = Infinity;
  for (const placement of layout.placements) {
    if (placement.row !== targetRow) continue;
    const distance = Math.abs(placement.azimuthRadians - current.azimuthRadians);
    if (distance < bestDistance) {
      best = placement.index;
      bestDistance = distance;
    }
  }
  return best;
}
