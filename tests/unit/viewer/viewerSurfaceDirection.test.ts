import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { surfaceGeometry, type SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import { surfacePoint } from '../../../viewer/src/foveated/rectDistanceDeg.js';
import { anglesDirection, angleBetweenDeg, directionAngles, surfaceDirection } from '../../../viewer/src/foveated/surfaceDirection.js';

const flatPanel: SurfaceSpec = { projection: 'flat', name: 'panel', yawDeg: [-45, 45], pitchDeg: [-29.4, 29.4] };
const sphere: SurfaceSpec = { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] };
const theater: SurfaceSpec = { projection: 'equirect', name: 'theater', yawDeg: [-70, 70], pitchDeg: [-40, 40] };
const ahead = [0, 0, -1] as const;

describe('surfaceDirection', () => {
  it('agrees with the planner geometry on the eccentricity of every point (flat, 360°, curved)', () => {
    for (const surface of [flatPanel, sphere, theater]) {
      const [widthPx, heightPx] = [3000, 1500];
      const geometry = surfaceGeometry(surface, widthPx, heightPx);
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (u, v) => {
          const viewer = angleBetweenDeg(ahead, surfaceDirection(surface, u, v));
          expect(viewer).toBeCloseTo(geometry.eccentricityDegAt(u * widthPx, v * heightPx), 6);
        }),
      );
    }
  });

  it('puts the image centre straight ahead, its left edge to the left and its top above', () => {
    expect(surfaceDirection(flatPanel, 0.5, 0.5)).toEqual([0, 0, -1]);
    const left = directionAngles(surfaceDirection(flatPanel, 0, 0.5));
    expect(left.yawDeg).toBeCloseTo(-45, 9);
    const top = directionAngles(surfaceDirection(sphere, 0.5, 0.25));
    expect(top.pitchDeg).toBeCloseTo(45, 9);
    expect(directionAngles(surfaceDirection(sphere, 0.75, 0.5)).yawDeg).toBeCloseTo(90, 9);
  });

  it('directionAngles inverts anglesDirection, and surfacePoint inverts surfaceDirection', () => {
    fc.assert(
      fc.property(fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: -89, max: 89, noNaN: true }), (yaw, pitch) => {
        const angles = directionAngles(anglesDirection(yaw, pitch));
        expect(angles.yawDeg).toBeCloseTo(yaw, 6);
        expect(angles.pitchDeg).toBeCloseTo(pitch, 6);
      }),
    );
    for (const surface of [flatPanel, sphere, theater]) {
      fc.assert(
        fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (u, v) => {
          const point = surfacePoint(surface, surfaceDirection(surface, u, v))!;
          expect(point.u).toBeCloseTo(u, 6);
          expect(point.v).toBeCloseTo(v, 6);
        }),
      );
    }
    // Behind a flat panel the gaze meets nothing.
    expect(surfacePoint(flatPanel, [0, 0, 1])).toBeUndefined();
  });
});
