import { boxArea, fullBox } from './layerRegions.js';
import type { SurfaceGeometry } from './surfaceGeometry.js';
import type { PlannedTile, PxBox } from './types.js';

type UnindexedTile = Omit<PlannedTile, 'col' | 'row'>;

/**
 * One texture for `core`, at `ppd` where the core is densest in angle (its
 * point nearest the head direction), so nowhere in it is coarser than `ppd`
 * and nowhere is the texture finer than the display there. Never denser than
 * the source. `overlapPx` output pixels of neighbouring content are added on
 * every side that has a neighbour, for seamless filtering.
 */
function planTile(core: PxBox, ppd: number, geometry: SurfaceGeometry, overlapPx: number): UnindexedTile {
  const degreesPerPx = geometry.degreesPerPxMax(core);
  const scaleX = Math.min(1, ppd * degreesPerPx.x);
  const scaleY = Math.min(1, ppd * degreesPerPx.y);
  const marginX = overlapPx > 0 ? Math.ceil(overlapPx / scaleX) : 0;
  const marginY = overlapPx > 0 ? Math.ceil(overlapPx / scaleY) : 0;
  const source = {
    x0: Math.max(0, core.x0 - marginX),
    y0: Math.max(0, core.y0 - marginY),
    x1: Math.min(geometry.widthPx, core.x1 + marginX),
    y1: Math.min(geometry.heightPx, core.y1 + marginY),
  };
  // Floor, so rounding never lifts a tile above its PPD.
  const widthPx = Math.max(1, Math.floor((source.x1 - source.x0) * scaleX + 1e-9));
  const heightPx = Math.max(1, Math.floor((source.y1 - source.y0) * scaleY + 1e-9));
  const ppdX = widthPx / (source.x1 - source.x0) / degreesPerPx.x;
  const ppdY = heightPx / (source.y1 - source.y0) / degreesPerPx.y;
  return { core, source, widthPx, heightPx, ppd: Math.min(ppdX, ppdY) };
}

/** The base layer: the whole surface in one texture, no neighbours, no overlap. */
export function baseLayerTiles(ppd: number, geometry: SurfaceGeometry): PlannedTile[] {
  return indexTiles([planTile(fullBox(geometry), ppd, geometry, 0)]);
}

/** A ring: the region less its hole, as up to four strips, each cut into tiles no larger than maxPx. */
export function ringLayerTiles(
  ppd: number,
  region: PxBox,
  hole: PxBox,
  geometry: SurfaceGeometry,
  maxPx: number,
  overlapPx: number,
): PlannedTile[] {
  const strips =
    boxArea(hole) === 0
      ? [region]
      : [
          { x0: region.x0, y0: region.y0, x1: region.x1, y1: hole.y0 },
          { x0: region.x0, y0: hole.y1, x1: region.x1, y1: region.y1 },
          { x0: region.x0, y0: hole.y0, x1: hole.x0, y1: hole.y1 },
          { x0: hole.x1, y0: hole.y0, x1: region.x1, y1: hole.y1 },
        ].filter((strip) => boxArea(strip) > 0);
  const tiles: UnindexedTile[] = [];
  for (const strip of strips) {
    const degreesPerPx = geometry.degreesPerPxMax(strip);
    const xCuts = splitEvenly(strip.x0, strip.x1, maxPx / Math.min(1, ppd * degreesPerPx.x));
    const yCuts = splitEvenly(strip.y0, strip.y1, maxPx / Math.min(1, ppd * degreesPerPx.y));
    for (let row = 1; row < yCuts.length; row += 1) {
      for (let col = 1; col < xCuts.length; col += 1) {
        tiles.push(planTile({ x0: xCuts[col - 1]!, y0: yCuts[row - 1]!, x1: xCuts[col]!, y1: yCuts[row]! }, ppd, geometry, overlapPx));
      }
    }
  }
  return indexTiles(tiles);
}

/**
 * The full-PPD layer: the whole surface in a grid centred on the head
 * direction, with the fovea's edges among the cuts, so the first view is
 * exactly the tiles inside the fovea. Tiles away from the centre get their own
 * (lower) density; where that leaves them narrow (towards a sphere's poles)
 * neighbours are merged up to maxPx, never across the fovea's edge.
 */
export function fullPpdTiles(
  ppd: number,
  fovea: PxBox,
  foveaRadiusDeg: number,
  geometry: SurfaceGeometry,
  maxPx: number,
  overlapPx: number,
): PlannedTile[] {
  const axis = geometry.axisPx;
  const axisDegreesPerPx = geometry.degreesPerPxMax({ x0: axis.x, y0: axis.y, x1: axis.x, y1: axis.y });
  const axisScale = Math.min(1, ppd * Math.max(axisDegreesPerPx.x, axisDegreesPerPx.y));
  const cap = geometry.capBox(foveaRadiusDeg);
  const radiusPx = Math.min((cap.x1 - cap.x0) / 2, (cap.y1 - cap.y0) / 2);
  const cellPx =
    Number.isFinite(radiusPx) && radiusPx > 0 ? radiusPx / Math.max(1, Math.ceil((radiusPx * axisScale) / maxPx)) : maxPx / axisScale;
  const xCuts = gridCuts(axis.x, cellPx, geometry.widthPx, [fovea.x0, fovea.x1]);
  // Rows next to a dropped sliver cut are up to 1.5 cells tall: split those that exceed maxPx.
  const gridRows = gridCuts(axis.y, cellPx, geometry.heightPx, [fovea.y0, fovea.y1]);
  const yCuts = gridRows.flatMap((y, index) => {
    if (index === 0) return [y];
    const previous = gridRows[index - 1]!;
    const scale = Math.min(1, ppd * geometry.degreesPerPxMax({ x0: 0, y0: previous, x1: geometry.widthPx, y1: y }).y);
    return splitEvenly(previous, y, maxPx / scale).slice(1);
  });
  const tiles: UnindexedTile[] = [];
  for (let row = 1; row < yCuts.length; row += 1) {
    const y0 = yCuts[row - 1]!;
    const y1 = yCuts[row]!;
    const rowCrossesFovea = y0 < fovea.y1 && y1 > fovea.y0;
    const protectedCuts = new Set(rowCrossesFovea ? [fovea.x0, fovea.x1] : []);
    // Long cells are split; short ones (low density) merged, left to right.
    const cuts = xCuts.flatMap((x, index) => {
      if (index === 0) return [x];
      const previous = xCuts[index - 1]!;
      const scale = Math.min(1, ppd * geometry.degreesPerPxMax({ x0: previous, y0, x1: x, y1 }).x);
      return splitEvenly(previous, x, maxPx / scale).slice(1);
    });
    let start = cuts[0]!;
    for (let index = 1; index < cuts.length; index += 1) {
      const end = cuts[index]!;
      const next = cuts[index + 1];
      const canMerge =
        next !== undefined && !protectedCuts.has(end) && planTile({ x0: start, y0, x1: next, y1 }, ppd, geometry, 0).widthPx <= maxPx;
      if (canMerge) continue;
      tiles.push(planTile({ x0: start, y0, x1: end, y1 }, ppd, geometry, overlapPx));
      start = end;
    }
  }
  return indexTiles(tiles);
}

/**
 * Cuts along one axis of `lengthPx`: every cellPx from the axis, the
 * protected cuts (fovea edges), and the ends; grid cuts closer than half a
 * cell to a protected cut or an end are dropped, so no sliver cells.
 */
function gridCuts(axisPx: number, cellPx: number, lengthPx: number, protectedCuts: readonly number[]): number[] {
  const fixed = [0, lengthPx, ...protectedCuts.filter((cut) => cut > 0 && cut < lengthPx)];
  const cuts = new Set(fixed);
  const first = Math.floor(-axisPx / cellPx) - 1;
  const last = Math.ceil((lengthPx - axisPx) / cellPx) + 1;
  for (let step = first; step <= last; step += 1) {
    const cut = Math.round(axisPx + step * cellPx);
    if (cut <= 0 || cut >= lengthPx) continue;
    if (fixed.some((other) => Math.abs(other - cut) < cellPx / 2)) continue;
    cuts.add(cut);
  }
  return [...cuts].sort((a, b) => a - b);
}

/** Integer cuts from a to b into the fewest equal parts no longer than maxLength. */
function splitEvenly(a: number, b: number, maxLength: number): number[] {
  const parts = Math.max(1, Math.ceil((b - a) / Math.max(1, Math.floor(maxLength))));
  return Array.from({ length: parts + 1 }, (_, index) => (index === parts ? b : a + Math.round(((b - a) * index) / parts)));
}

/** Rows by top edge, columns by left edge within a row: `col_row` names are unique in a layer. */
function indexTiles(tiles: readonly UnindexedTile[]): PlannedTile[] {
  const rows = [...new Set(tiles.map((tile) => tile.core.y0))].sort((a, b) => a - b);
  return rows.flatMap((y0, row) =>
    tiles
      .filter((tile) => tile.core.y0 === y0)
      .sort((a, b) => a.core.x0 - b.core.x0)
      .map((tile, col) => ({ ...tile, col, row })),
  );
}
