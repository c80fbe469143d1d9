import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedRect, SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import { rectDistanceDeg } from '../../../viewer/src/foveated/rectDistanceDeg.js';
import { anglesDirection, angleBetweenDeg, surfaceDirection, type Direction } from '../../../viewer/src/foveated/surfaceDirection.js';

const surfaces: SurfaceSpec[] = [
  { projection: 'flat', name: 'panel', yawDeg: [-45, 45], pitchDeg: [-30, 30] },
  { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] },
];

/**
 * The nearest point of the rect found by brute force on a fine grid of its interior and border, and how
 * far the true nearest point can lie from the grid: half the widest cell diagonal.
 */
function bruteForce(surface: SurfaceSpec, rect: NormalizedRect, gaze: Direction): { distanceDeg: number; slackDeg: number } {
  const [left, top, right, bottom] = rect;
  const steps = 120;
  const at = (i: number, j: number) => surfaceDirection(surface, left + ((right - left) * i) / steps, top + ((bottom - top) * j) / steps);
  let distanceDeg = Infinity;
  let widestDiagonalDeg = 0;
  for (let i = 0; i <= steps; i += 1) {
    for (let j = 0; j <= steps; j += 1) {
      distanceDeg = Math.min(distanceDeg, angleBetweenDeg(gaze, at(i, j)));
      if (i < steps && j < steps) widestDiagonalDeg = Math.max(widestDiagonalDeg, angleBetweenDeg(at(i, j), at(i + 1, j + 1)));
    }
  }
  return { distanceDeg, slackDeg: widestDiagonalDeg / 2 + 1e-9 };
}

const rectArbitrary = fc
  .tuple(
    fc.double({ min: 0, max: 0.9, noNaN: true }),
    fc.double({ min: 0, max: 0.9, noNaN: true }),
    fc.double({ min: 0.02, max: 0.5, noNaN: true }),
    fc.double({ min: 0.02, max: 0.5, noNaN: true }),
  )
  .map(([left, top, width, height]): NormalizedRect => [left, top, Math.min(1, left + width), Math.min(1, top + height)]);

describe('rectDistanceDeg', () => {
  it('is the angle from the gaze to the nearest point of the rect (against brute force)', () => {
    for (const surface of surfaces) {
      fc.assert(
        fc.property(
          rectArbitrary,
          fc.double({ min: -170, max: 170, noNaN: true }),
          fc.double({ min: -80, max: 80, noNaN: true }),
          (rect, yaw, pitch) => {
            const gaze = anglesDirection(yaw, pitch);
            const exact = rectDistanceDeg(surface, rect, gaze);
            const brute = bruteForce(surface, rect, gaze);
            // Never farther than a point that exists, and no nearer than the grid's resolution allows.
            expect(exact).toBeLessThanOrEqual(brute.distanceDeg + 1e-9);
            expect(exact).toBeGreaterThanOrEqual(brute.distanceDeg - brute.slackDeg);
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('is zero when the gaze falls inside, including across the panorama seam', () => {
    expect(rectDistanceDeg(surfaces[0]!, [0.4, 0.4, 0.6, 0.6], [0, 0, -1])).toBe(0);
    // A tile at the far right of a 360° panorama spans yaw 171° to 180°.
    expect(rectDistanceDeg(surfaces[1]!, [0.975, 0.45, 1, 0.55], anglesDirection(179.9, 0))).toBe(0);
    // And a gaze just past the seam (yaw -179.9°) is 0.1° from it, not 359°.
    expect(rectDistanceDeg(surfaces[1]!, [0.975, 0.45, 1, 0.55], anglesDirection(-179.9, 0))).toBeCloseTo(0.1, 3);
  });
});
