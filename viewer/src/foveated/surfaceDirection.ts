import type { SurfaceSpec } from '../../../functions/domain/foveate/index.js';

/** A unit direction in the item's frame: -Z is the initial head direction (yaw 0, pitch 0), +X right, +Y up. */
export type Direction = readonly [number, number, number];

const radiansPerDegree = Math.PI / 180;
const degreesPerRadian = 180 / Math.PI;

/**
 * Where a point of the image lies as seen from the viewer: `u` and `v` are
 * fractions of the source's width and height (v down), as in the manifest's
 * rects. A flat surface is a plane at distance 1 (plane coordinates are the
 * tangents of yaw and pitch at its centre lines); an equirect one has yaw and
 * pitch linear in u and v (docs/foveation.md, Surfaces).
 */
export function surfaceDirection(surface: SurfaceSpec, u: number, v: number): Direction {
  const [yawLeft, yawRight] = surface.yawDeg;
  const [pitchBottom, pitchTop] = surface.pitchDeg;
  if (surface.projection === 'flat') {
    const x = lerp(tanDeg(yawLeft), tanDeg(yawRight), u);
    const y = lerp(tanDeg(pitchTop), tanDeg(pitchBottom), v);
    const length = Math.hypot(x, y, 1);
    return [x / length, y / length, -1 / length];
  }
  return anglesDirection(lerp(yawLeft, yawRight, u), lerp(pitchTop, pitchBottom, v));
}

/** The direction at yaw (positive to the right) and pitch (positive up), in degrees. */
export function anglesDirection(yawDeg: number, pitchDeg: number): Direction {
  const yaw = yawDeg * radiansPerDegree;
  const pitch = pitchDeg * radiansPerDegree;
  return [Math.cos(pitch) * Math.sin(yaw), Math.sin(pitch), -Math.cos(pitch) * Math.cos(yaw)];
}

/** Yaw and pitch of a direction (any length), the inverse of anglesDirection. */
export function directionAngles(direction: Direction): { yawDeg: number; pitchDeg: number } {
  const [x, y, z] = direction;
  return {
    yawDeg: Math.atan2(x, -z) * degreesPerRadian,
    pitchDeg: Math.atan2(y, Math.hypot(x, z)) * degreesPerRadian,
  };
}

/** Angle between two unit directions, degrees. */
export function angleBetweenDeg(a: Direction, b: Direction): number {
  const cosine = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  return Math.acos(Math.max(-1, Math.min(1, cosine))) * degreesPerRadian;
}

function tanDeg(degrees: number): number {
  return Math.tan(degrees * radiansPerDegree);
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}
