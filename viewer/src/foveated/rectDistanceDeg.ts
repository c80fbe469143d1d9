import type { NormalizedRect, SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import { angleBetweenDeg, directionAngles, surfaceDirection, type Direction } from './surfaceDirection.js';

const samplesPerEdge = 16;
const refineSteps = 24;
const inverseGolden = (Math.sqrt(5) - 1) / 2;

/**
 * The smallest angle, in degrees, between the gaze and any point of `rect`
 * (fractions of the source) on the surface: 0 when the gaze falls inside it.
 * Otherwise the nearest point is on the rect's border; each edge is sampled
 * and the best sample refined by a golden-section search, which is exact for
 * the smooth, single-minimum distance along one edge.
 */
export function rectDistanceDeg(surface: SurfaceSpec, rect: NormalizedRect, gaze: Direction): number {
  const [left, top, right, bottom] = rect;
  const hit = surfacePoint(surface, gaze);
  if (hit && hit.u >= left && hit.u <= right && hit.v >= top && hit.v <= bottom) return 0;
  const edges: [number, number, number, number][] = [
    [left, top, right, top],
    [right, top, right, bottom],
    [right, bottom, left, bottom],
    [left, bottom, left, top],
  ];
  let best = Infinity;
  for (const [u0, v0, u1, v1] of edges) {
    const distanceAt = (t: number) => angleBetweenDeg(gaze, surfaceDirection(surface, u0 + (u1 - u0) * t, v0 + (v1 - v0) * t));
    let bestIndex = 0;
    let bestDistance = Infinity;
    for (let index = 0; index <= samplesPerEdge; index += 1) {
      const distance = distanceAt(index / samplesPerEdge);
      if (distance < bestDistance) {
        bestDistance = distance;
        bestIndex = index;
      }
    }
    best = Math.min(
      best,
      refineMinimum(
        distanceAt,
        Math.max(0, bestIndex - 1) / samplesPerEdge,
        Math.min(samplesPerEdge, bestIndex + 1) / samplesPerEdge,
        bestDistance,
      ),
    );
  }
  return best;
}

/**
 * Where the gaze meets the surface, as fractions of the source (u right, v
 * down), or undefined when it does not (a flat panel behind or beside the
 * viewer). u and v may lie outside 0..1: the point is off the image.
 */
export function surfacePoint(surface: SurfaceSpec, gaze: Direction): { u: number; v: number } | undefined {
  const [yawLeft, yawRight] = surface.yawDeg;
  const [pitchBottom, pitchTop] = surface.pitchDeg;
  if (surface.projection === 'flat') {
    if (gaze[2] >= 0) return undefined;
    const x = gaze[0] / -gaze[2];
    const y = gaze[1] / -gaze[2];
    const tanLeft = Math.tan((yawLeft * Math.PI) / 180);
    const tanRight = Math.tan((yawRight * Math.PI) / 180);
    const tanTop = Math.tan((pitchTop * Math.PI) / 180);
    const tanBottom = Math.tan((pitchBottom * Math.PI) / 180);
    return { u: (x - tanLeft) / (tanRight - tanLeft), v: (tanTop - y) / (tanTop - tanBottom) };
  }
  const { yawDeg, pitchDeg } = directionAngles(gaze);
  // Yaw wraps: take the turn of it that lies from the surface's left edge onwards.
  const yawFromLeft = (((yawDeg - yawLeft) % 360) + 360) % 360;
  return { u: yawFromLeft / (yawRight - yawLeft), v: (pitchTop - pitchDeg) / (pitchTop - pitchBottom) };
}

function refineMinimum(distanceAt: (t: number) => number, low: number, high: number, seed: number): number {
  let a = low;
  let b = high;
  let best = seed;
  for (let step = 0; step < refineSteps; step += 1) {
    const c = b - (b - a) * inverseGolden;
    const d = a + (b - a) * inverseGolden;
    const fc = distanceAt(c);
    const fd = distanceAt(d);
    best = Math.min(best, fc, fd);
    if (fc < fd) b = d;
    else a = c;
  }
  return best;
}
