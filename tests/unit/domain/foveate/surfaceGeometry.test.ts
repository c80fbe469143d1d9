import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { panelSurface, surfaceGeometry, type PxBox, type SurfaceSpec } from '../../../../functions/domain/foveate/index.js';

const rad = Math.PI / 180;
const flat = panelSurface('panel', { kind: 'flat', widthDeg: 90, maxHeightDeg: 90 }, 1.5);
const sphere: SurfaceSpec = { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] };
const [W, H] = [3000, 2000];

/** Unit view direction of a pixel, written independently of the module: x right, y up, z forward. */
function direction(surface: SurfaceSpec, widthPx: number, heightPx: number, xPx: number, yPx: number): [number, number, number] {
  if (surface.projection === 'flat') {
    const x = (xPx / widthPx - 0.5) * 2 * Math.tan(surface.yawDeg[1] * rad);
    const y = (0.5 - yPx / heightPx) * 2 * Math.tan(surface.pitchDeg[1] * rad);
    const norm = Math.hypot(x, y, 1);
    return [x / norm, y / norm, 1 / norm];
  }
  const yaw = (surface.yawDeg[0] + (xPx / widthPx) * (surface.yawDeg[1] - surface.yawDeg[0])) * rad;
  const pitch = (surface.pitchDeg[1] - (yPx / heightPx) * (surface.pitchDeg[1] - surface.pitchDeg[0])) * rad;
  return [Math.cos(pitch) * Math.sin(yaw), Math.sin(pitch), Math.cos(pitch) * Math.cos(yaw)];
}
/** atan2(|a×b|, a·b): accurate near 0, where acos of a dot product is not. */
function angleDeg(a: number[], b: number[]): number {
  const cross = Math.hypot(a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!);
  return Math.atan2(cross, a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!) / rad;
}

const boxArb = fc
  .tuple(
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([a, b, c, d]): PxBox => ({ x0: Math.min(a, b) * W, x1: Math.max(a, b) * W, y0: Math.min(c, d) * H, y1: Math.max(c, d) * H }))
  .filter((box) => box.x1 - box.x0 > 2 && box.y1 - box.y0 > 2);

describe('surfaceGeometry', () => {
  it('measures eccentricity on a flat 90° panel from its centre', () => {
    const geometry = surfaceGeometry(flat, W, H);
    expect(geometry.eccentricityDegAt(W / 2, H / 2)).toBe(0);
    expect(geometry.eccentricityDegAt(W, H / 2)).toBeCloseTo(45, 9);
    expect(geometry.eccentricityDegAt(0, 0)).toBeCloseTo(Math.atan(Math.hypot(1, 2 / 3)) / rad, 9);
    // The flat panel's centre pixel spans 90°·(2/π)/W·... : tan spacing, not angle spacing.
    expect(geometry.degreesPerPxMax({ x0: W / 2, y0: H / 2, x1: W / 2, y1: H / 2 }).x).toBeCloseTo(2 / W / rad, 9);
  });

  it.each([
    ['flat', flat],
    ['equirect', sphere],
  ] as const)('agrees with direct vector geometry on %s surfaces (eccentricity bounds, density bounds)', (_name, surface) => {
    const geometry = surfaceGeometry(surface, W, H);
    const axis: [number, number, number] = [0, 0, 1];
    fc.assert(
      fc.property(boxArb, (box) => {
        let minEcc = Infinity;
        let maxEcc = -Infinity;
        let maxDegX = 0;
        for (let i = 0; i <= 12; i += 1) {
          for (let j = 0; j <= 12; j += 1) {
            const x = box.x0 + ((box.x1 - box.x0) * i) / 12;
            const y = box.y0 + ((box.y1 - box.y0) * j) / 12;
            const ecc = angleDeg(direction(surface, W, H, x, y), axis);
            minEcc = Math.min(minEcc, ecc);
            maxEcc = Math.max(maxEcc, ecc);
            expect(geometry.eccentricityDegAt(x, y)).toBeCloseTo(ecc, 4);
            maxDegX = Math.max(maxDegX, angleDeg(direction(surface, W, H, x - 0.05, y), direction(surface, W, H, x + 0.05, y)) / 0.1);
          }
        }
        expect(geometry.minEccentricityDeg(box)).toBeLessThanOrEqual(minEcc + 1e-6);
        expect(geometry.maxEccentricityDeg(box)).toBeGreaterThanOrEqual(maxEcc - 1e-6);
        expect(geometry.degreesPerPxMax(box).x).toBeGreaterThanOrEqual(maxDegX * (1 - 1e-3));
      }),
      { numRuns: 300 },
    );
  });

  it('bounds a cap of any radius with capBox', () => {
    for (const surface of [flat, sphere]) {
      const geometry = surfaceGeometry(surface, W, H);
      for (const radius of [5, 17, 40, 80]) {
        const cap = geometry.capBox(radius);
        for (let i = 0; i <= 60; i += 1) {
          for (let j = 0; j <= 60; j += 1) {
            const x = (W * i) / 60;
            const y = (H * j) / 60;
            if (geometry.eccentricityDegAt(x, y) < radius)
              expect(x >= cap.x0 - 1e-6 && x <= cap.x1 + 1e-6 && y >= cap.y0 - 1e-6 && y <= cap.y1 + 1e-6).toBe(true);
          }
        }
      }
      expect(geometry.capBox(95).x0).toBe(-Infinity);
    }
  });

  it('reports angular extents in yaw and pitch', () => {
    expect(surfaceGeometry(sphere, 4000, 2000).angularExtent({ x0: 2000, y0: 0, x1: 3000, y1: 1000 })).toEqual({
      yawDeg: [0, 90],
      pitchDeg: [0, 90],
    });
    const extent = surfaceGeometry(flat, W, H).angularExtent({ x0: 0, y0: 0, x1: W, y1: H });
    expect(extent.yawDeg[0]).toBeCloseTo(-45, 9);
    expect(extent.pitchDeg[1]).toBeCloseTo(flat.pitchDeg[1], 9);
  });
});
