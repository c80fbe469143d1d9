import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';

export interface DrawnTile {
  key: string;
  /** What the tile paints, fractions of the source. */
  rect: NormalizedRect;
  /** Its pixels per degree (the layer's). */
  ppd: number;
}

/** Extra mipmap level at the [left, top, right, bottom] edges of a tile. */
export type EdgeBias = [number, number, number, number];

const samplesPerEdge = 5;
/** How far outside an edge to look for what is drawn there, in fractions of the source. */
const outsideStep = 1e-5;

/**
 * How blurred each edge of each drawn tile must be to match what is drawn
 * just beyond it. A finer tile next to a coarser one (a ring inside a
 * coarser ring, a full-PPD tile whose neighbour is not loaded yet) would
 * show a step in sharpness along the border; the shader instead ramps the
 * finer tile's mipmap bias up to log2(finer PPD / coarser PPD) towards that
 * edge, so the detail fades out to exactly the coarser layer's and the
 * border cannot be seen. Edges against the same or a finer PPD, or the
 * image's own border, get no bias. `wrapU`: a full 360° panorama, whose
 * left and right edges meet.
 */
export function edgeLodBias(tiles: readonly DrawnTile[], wrapU: boolean): Map<string, EdgeBias> {
  const biases = new Map<string, EdgeBias>();
  for (const tile of tiles) {
    const [left, top, right, bottom] = tile.rect;
    const edges: [number, number, number, number][] = [
      [left - outsideStep, top, left - outsideStep, bottom],
      [left, top - outsideStep, right, top - outsideStep],
      [right + outsideStep, top, right + outsideStep, bottom],
      [left, bottom + outsideStep, right, bottom + outsideStep],
    ];
    const bias = edges.map(([u0, v0, u1, v1]) => {
      let worst = 0;
      for (let index = 0; index < samplesPerEdge; index += 1) {
        const t = (index + 0.5) / samplesPerEdge;
        let u = u0 + (u1 - u0) * t;
        const v = v0 + (v1 - v0) * t;
        if (wrapU) u = ((u % 1) + 1) % 1;
        if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
        const beyond = finestAt(tiles, tile, u, v);
        const beyondPpd = beyond?.ppd ?? 0;
        const levels = beyondPpd > 0 ? Math.log2(tile.ppd / beyondPpd) : 0;
        worst = Math.max(worst, levels);
      }
      return worst;
    }) as EdgeBias;
    biases.set(tile.key, bias);
  }
  return biases;
}

function finestAt(tiles: readonly DrawnTile[], except: DrawnTile, u: number, v: number): DrawnTile | undefined {
  let finest: DrawnTile | undefined;
  for (const candidate of tiles) {
    if (candidate === except) continue;
    const [left, top, right, bottom] = candidate.rect;
    if (u < left || u >= right || v < top || v >= bottom) continue;
    if (!finest || candidate.ppd > finest.ppd) finest = candidate;
  }
  return finest;
}
