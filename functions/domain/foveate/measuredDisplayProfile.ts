import { InvalidFoveateParameterError } from './errors.js';
import type { DisplayProfile } from './types.js';

export interface XrViewMeasurement {
  /** XRView.projectionMatrix: column-major 4×4, as WebXR gives it. */
  readonly projectionMatrix: ArrayLike<number>;
  /** The view's viewport in the framebuffer (XRWebGLLayer.getViewport). */
  readonly viewportWidthPx: number;
  readonly viewportHeightPx: number;
  /** gl.getParameter(gl.MAX_TEXTURE_SIZE) */
  readonly maxTextureSizePx: number;
}

const degreesPerRadian = 180 / Math.PI;

/**
 * A profile the viewer computes at run time from what WebXR reports: the
 * frustum's tangents give the field of view, and the viewport's pixels over
 * the tangent span at the view axis give the centre PPD (the density a
 * rendered texel has where the user looks straight ahead).
 */
export function measuredDisplayProfile(view: XrViewMeasurement): DisplayProfile {
  const m = view.projectionMatrix;
  if (m.length !== 16) throw new InvalidFoveateParameterError('projectionMatrix', 'a 4×4 matrix (16 numbers)', m.length);
  for (const [name, value] of [
    ['viewportWidthPx', view.viewportWidthPx],
    ['viewportHeightPx', view.viewportHeightPx],
    ['maxTextureSizePx', view.maxTextureSizePx],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new InvalidFoveateParameterError(name, 'a positive number', value);
  }
  const [m0, m5, m8, m9] = [m[0]!, m[5]!, m[8]!, m[9]!];
  if (!(m0 > 0) || !(m5 > 0)) throw new InvalidFoveateParameterError('projectionMatrix', 'a perspective projection', Array.from(m));
  // For a (possibly asymmetric) frustum: m0 = 2n/(r-l), m8 = (r+l)/(r-l).
  const tanLeft = (m8 - 1) / m0;
  const tanRight = (m8 + 1) / m0;
  const tanBottom = (m9 - 1) / m5;
  const tanTop = (m9 + 1) / m5;
  const horizontal = (Math.atan(tanRight) - Math.atan(tanLeft)) * degreesPerRadian;
  const vertical = (Math.atan(tanTop) - Math.atan(tanBottom)) * degreesPerRadian;
  // At the axis one unit of tangent is one radian, so pixels per radian = width / tangent span.
  const centrePpd = view.viewportWidthPx / (tanRight - tanLeft) / degreesPerRadian;
  return {
    id: 'measured',
    label: `Measured (${Math.round(view.viewportWidthPx)}×${Math.round(view.viewportHeightPx)} px per eye)`,
    ppd: round2(centrePpd),
    averagePpd: round2(view.viewportWidthPx / horizontal),
    fovDeg: { horizontal: round2(horizontal), vertical: round2(vertical) },
    maxTextureSizePx: view.maxTextureSizePx,
    origin: 'measured',
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
