import type { PpdLadder } from './ppdLadder.js';
import type { SurfaceGeometry } from './surfaceGeometry.js';
import type { AcuitySettings, PxBox } from './types.js';
import { eccentricityWherePpdFallsTo } from './usefulPpd.js';

interface RingRegion {
  readonly ppd: number;
  readonly region: PxBox;
  /** The next finer layer's region (empty when it lies outside this surface). */
  readonly hole: PxBox;
}

export interface LayerRegions {
  /** Coarse to fine; each ring's hole is the next ring's region, the last one's is the fovea. */
  readonly rings: readonly RingRegion[];
  /** Where the full-PPD tiles are needed for the first view. */
  readonly fovea: PxBox;
  readonly foveaRadiusDeg: number;
}

/**
 * Where each level is needed. A level of PPD p must reach as far as the eye
 * still wants more than the next coarser level q: out to the eccentricity
 * where useful PPD falls to q. Regions are boxes (in source pixels) around
 * that cap, so they nest; a strip thinner than one output pixel is handed to
 * the finer layer rather than drawn above its PPD.
 */
export function layerRegions(ladder: PpdLadder, geometry: SurfaceGeometry, acuity: AcuitySettings): LayerRegions {
  const full = fullBox(geometry);
  if (ladder.topPpd <= ladder.basePpd) {
    return { rings: [], fovea: full, foveaRadiusDeg: geometry.maxEccentricityDeg(full) };
  }
  const coarser = [ladder.basePpd, ...ladder.ringPpds];
  const regionBeyond = (ppd: number) => snapBox(geometry.capBox(eccentricityWherePpdFallsTo(ppd, acuity)), geometry);
  const rings: RingRegion[] = [];
  let region = regionBeyond(ladder.basePpd);
  for (const ppd of ladder.ringPpds) {
    const hole = absorbThinStrips(region, regionBeyond(ppd), ppd, geometry);
    if (boxArea(region) > 0 && !sameBox(region, hole)) rings.push({ ppd, region, hole });
    region = hole;
  }
  // The top layer tiles the whole surface; its fovea must not leave slivers against the edges either.
  const fovea = absorbThinStrips(full, region, ladder.topPpd, geometry, true);
  return { rings, fovea, foveaRadiusDeg: eccentricityWherePpdFallsTo(coarser[coarser.length - 1]!, acuity) };
}

export function fullBox(geometry: Pick<SurfaceGeometry, 'widthPx' | 'heightPx'>): PxBox {
  return { x0: 0, y0: 0, x1: geometry.widthPx, y1: geometry.heightPx };
}

export function boxArea(box: PxBox): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
}

export function sameBox(a: PxBox, b: PxBox): boolean {
  return a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1;
}

/** Rounds to whole source pixels and clips to the image; an empty result keeps x0 ≤ x1, y0 ≤ y1. */
function snapBox(box: PxBox, geometry: SurfaceGeometry): PxBox {
  const clip = (value: number, limit: number) => Math.min(limit, Math.max(0, Math.round(value)));
  const x0 = clip(box.x0, geometry.widthPx);
  const y0 = clip(box.y0, geometry.heightPx);
  return { x0, y0, x1: Math.max(x0, clip(box.x1, geometry.widthPx)), y1: Math.max(y0, clip(box.y1, geometry.heightPx)) };
}

/**
 * Grows `inner` to `outer`'s edge on any side where the strip between them
 * would be under two output pixels at `ppd`: such a strip could only be drawn
 * above its PPD. With `edgesOnly`, only strips against the image edge count
 * (the full-PPD grid has no ring around the fovea, only the surface's border).
 */
function absorbThinStrips(outer: PxBox, inner: PxBox, ppd: number, geometry: SurfaceGeometry, edgesOnly = false): PxBox {
  if (boxArea(inner) === 0) return inner;
  let { x0, y0, x1, y1 } = inner;
  const thin = (strip: PxBox, across: 'x' | 'y') => {
    const gapPx = across === 'x' ? strip.x1 - strip.x0 : strip.y1 - strip.y0;
    if (gapPx <= 0) return false;
    const degreesPerPx = geometry.degreesPerPxMax(strip)[across];
    return Math.floor(gapPx * Math.min(1, ppd * degreesPerPx)) < 2;
  };
  const atEdge = (value: number, edge: number) => !edgesOnly || value === edge;
  if (atEdge(outer.y0, 0) && thin({ x0: outer.x0, y0: outer.y0, x1: outer.x1, y1: y0 }, 'y')) y0 = outer.y0;
  if (atEdge(outer.y1, geometry.heightPx) && thin({ x0: outer.x0, y0: y1, x1: outer.x1, y1: outer.y1 }, 'y')) y1 = outer.y1;
  if (atEdge(outer.x0, 0) && thin({ x0: outer.x0, y0, x1: x0, y1 }, 'x')) x0 = outer.x0;
  if (atEdge(outer.x1, geometry.widthPx) && thin({ x0: x1, y0, x1: outer.x1, y1 }, 'x')) x1 = outer.x1;
  return { x0, y0, x1, y1 };
}
