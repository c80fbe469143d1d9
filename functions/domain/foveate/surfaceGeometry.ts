import type { PxBox, SurfaceSpec } from './types.js';

const radiansPerDegree = Math.PI / 180;
const degreesPerRadian = 180 / Math.PI;

interface AngularExtent {
  yawDeg: [number, number];
  pitchDeg: [number, number];
}

/**
 * Angles on a surface, measured from the viewer's initial head direction
 * (yaw 0, pitch 0), as functions of source pixel coordinates (y down).
 * Everything the planner knows about projections is here.
 */
export interface SurfaceGeometry {
  readonly surface: SurfaceSpec;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Where the head direction falls, in pixels (outside the image for a panorama cropped above the horizon). */
  readonly axisPx: { readonly x: number; readonly y: number };
  /** An unclipped box holding every point within radiusDeg of the head direction. */
  capBox(radiusDeg: number): PxBox;
  /**
   * Degrees one source pixel spans along x and along y, the most anywhere in
   * the box (so a texture sized by it is at least that dense everywhere in the box).
   */
  degreesPerPxMax(box: PxBox): { x: number; y: number };
  eccentricityDegAt(xPx: number, yPx: number): number;
  minEccentricityDeg(box: PxBox): number;
  maxEccentricityDeg(box: PxBox): number;
  angularExtent(box: PxBox): AngularExtent;
}

export function surfaceGeometry(surface: SurfaceSpec, widthPx: number, heightPx: number): SurfaceGeometry {
  return surface.projection === 'flat' ? flatGeometry(surface, widthPx, heightPx) : equirectGeometry(surface, widthPx, heightPx);
}

/**
 * A planar quad seen from a point on its centre normal, at distance 1:
 * plane coordinates are tangents of the angles (gnomonic projection).
 */
function flatGeometry(surface: SurfaceSpec, widthPx: number, heightPx: number): SurfaceGeometry {
  const halfWidth = Math.tan(surface.yawDeg[1] * radiansPerDegree);
  const halfHeight = Math.tan(surface.pitchDeg[1] * radiansPerDegree);
  const unitsPerPxX = (2 * halfWidth) / widthPx;
  const unitsPerPxY = (2 * halfHeight) / heightPx;
  const axisPx = { x: widthPx / 2, y: heightPx / 2 };
  const toUnits = (xPx: number, yPx: number): [number, number] => [(xPx - axisPx.x) * unitsPerPxX, (axisPx.y - yPx) * unitsPerPxY];
  const unitsRange = (box: PxBox) => {
    const [x0, y1] = toUnits(box.x0, box.y0);
    const [x1, y0] = toUnits(box.x1, box.y1);
    return { x0, x1, y0, y1 };
  };
  // d(angle)/d(plane unit) along x and y at (x, y), in degrees.
  const jacobian = (x: number, y: number) => {
    const r2 = 1 + x * x + y * y;
    return { x: (Math.sqrt(1 + y * y) / r2) * degreesPerRadian, y: (Math.sqrt(1 + x * x) / r2) * degreesPerRadian };
  };
  const eccentricity = (x: number, y: number) => Math.atan(Math.hypot(x, y)) * degreesPerRadian;

  return {
    surface,
    widthPx,
    heightPx,
    axisPx,
    capBox(radiusDeg) {
      if (radiusDeg >= 90) return { x0: -Infinity, y0: -Infinity, x1: Infinity, y1: Infinity };
      const t = Math.tan(radiusDeg * radiansPerDegree);
      return {
        x0: axisPx.x - t / unitsPerPxX,
        x1: axisPx.x + t / unitsPerPxX,
        y0: axisPx.y - t / unitsPerPxY,
        y1: axisPx.y + t / unitsPerPxY,
      };
    },
    degreesPerPxMax(box) {
      // The Jacobian peaks at the point nearest the axis for panels up to 90°;
      // a grid of samples keeps the maximum right for wider ones.
      const u = unitsRange(box);
      const candidates: [number, number][] = [[clampToRange(0, u.x0, u.x1), clampToRange(0, u.y0, u.y1)]];
      const steps = 8;
      for (let i = 0; i <= steps; i += 1) {
        for (let j = 0; j <= steps; j += 1) candidates.push([u.x0 + ((u.x1 - u.x0) * i) / steps, u.y0 + ((u.y1 - u.y0) * j) / steps]);
      }
      let maxX = 0;
      let maxY = 0;
      for (const [x, y] of candidates) {
        const j = jacobian(x, y);
        maxX = Math.max(maxX, j.x);
        maxY = Math.max(maxY, j.y);
      }
      return { x: maxX * unitsPerPxX, y: maxY * unitsPerPxY };
    },
    eccentricityDegAt(xPx, yPx) {
      return eccentricity(...toUnits(xPx, yPx));
    },
    minEccentricityDeg(box) {
      const u = unitsRange(box);
      return eccentricity(clampToRange(0, u.x0, u.x1), clampToRange(0, u.y0, u.y1));
    },
    maxEccentricityDeg(box) {
      const u = unitsRange(box);
      return eccentricity(Math.max(Math.abs(u.x0), Math.abs(u.x1)), Math.max(Math.abs(u.y0), Math.abs(u.y1)));
    },
    angularExtent(box) {
      const u = unitsRange(box);
      const nearX = nearestToZero(u.x0, u.x1);
      const farX = Math.max(Math.abs(u.x0), Math.abs(u.x1));
      // Pitch of (x, y) is atan(y / sqrt(1 + x²)): largest where |x| is least when y > 0.
      const pitch = (y: number, x: number) => Math.atan2(y, Math.sqrt(1 + x * x)) * degreesPerRadian;
      return {
        yawDeg: [Math.atan(u.x0) * degreesPerRadian, Math.atan(u.x1) * degreesPerRadian],
        pitchDeg: [pitch(u.y0, u.y0 < 0 ? nearX : farX), pitch(u.y1, u.y1 > 0 ? nearX : farX)],
      };
    },
  };
}

/** Yaw and pitch linear in x and y: a 360° panorama, a cropped one, or a curved screen. */
function equirectGeometry(surface: SurfaceSpec, widthPx: number, heightPx: number): SurfaceGeometry {
  const [yawLeft, yawRight] = surface.yawDeg;
  const [pitchBottom, pitchTop] = surface.pitchDeg;
  const degPerPxX = (yawRight - yawLeft) / widthPx;
  const degPerPxY = (pitchTop - pitchBottom) / heightPx;
  const yawAt = (xPx: number) => yawLeft + xPx * degPerPxX;
  const pitchAt = (yPx: number) => pitchTop - yPx * degPerPxY;
  const axisPx = { x: -yawLeft / degPerPxX, y: pitchTop / degPerPxY };
  const cos = (deg: number) => Math.cos(deg * radiansPerDegree);
  const acosDeg = (value: number) => Math.acos(Math.max(-1, Math.min(1, value))) * degreesPerRadian;
  // Extremes of cos over an angle range (the range may straddle 0 or ±180).
  const cosRange = (a: number, b: number) => {
    const values = [cos(a), cos(b)];
    if (a <= 0 && b >= 0) values.push(1);
    if (a <= -180 || b >= 180) values.push(-1);
    return { min: Math.min(...values), max: Math.max(...values) };
  };
  const ranges = (box: PxBox) => ({
    yaw: cosRange(yawAt(box.x0), yawAt(box.x1)),
    pitch: cosRange(pitchAt(box.y1), pitchAt(box.y0)),
  });

  return {
    surface,
    widthPx,
    heightPx,
    axisPx,
    capBox(radiusDeg) {
      // A cap of radius r < 90° around (0, 0) spans at most ±r in yaw (at the horizon) and ±r in pitch.
      if (radiusDeg >= 90) return { x0: -Infinity, y0: -Infinity, x1: Infinity, y1: Infinity };
      return {
        x0: axisPx.x - radiusDeg / degPerPxX,
        x1: axisPx.x + radiusDeg / degPerPxX,
        y0: axisPx.y - radiusDeg / degPerPxY,
        y1: axisPx.y + radiusDeg / degPerPxY,
      };
    },
    degreesPerPxMax(box) {
      // A pixel spans degPerPxX of yaw, i.e. degPerPxX·cos(pitch) of arc: most at the pitch nearest 0.
      const nearestPitch = nearestToZero(pitchAt(box.y1), pitchAt(box.y0));
      return { x: degPerPxX * cos(nearestPitch), y: degPerPxY };
    },
    eccentricityDegAt(xPx, yPx) {
      return acosDeg(cos(pitchAt(yPx)) * cos(yawAt(xPx)));
    },
    minEccentricityDeg(box) {
      // Maximise cos(pitch)·cos(yaw): both factors are independent over a box.
      const { yaw, pitch } = ranges(box);
      return acosDeg(yaw.max >= 0 ? pitch.max * yaw.max : pitch.min * yaw.max);
    },
    maxEccentricityDeg(box) {
      const { yaw, pitch } = ranges(box);
      return acosDeg(yaw.min <= 0 ? pitch.max * yaw.min : pitch.min * yaw.min);
    },
    angularExtent(box) {
      return { yawDeg: [yawAt(box.x0), yawAt(box.x1)], pitchDeg: [pitchAt(box.y1), pitchAt(box.y0)] };
    },
  };
}

function clampToRange(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function nearestToZero(a: number, b: number): number {
  return clampToRange(0, Math.min(a, b), Math.max(a, b));
}
