import { measuredDisplayProfile, type DisplayProfile } from '../../../functions/domain/foveate/index.js';

export interface ViewMeasurement {
  /** XRView.projectionMatrix (or a desktop camera's), column-major. */
  projectionMatrix: ArrayLike<number>;
  /** The view's viewport in the framebuffer, pixels. */
  viewportWidthPx: number;
  viewportHeightPx: number;
}

/**
 * The display profile the viewer picks layers for: each view's PPD from its
 * projection matrix and viewport (measuredDisplayProfile), the finest view
 * taken. `framebufferScale` is the scale the framebuffer was made with and
 * `nativeScale` the one at which one framebuffer pixel is one display pixel
 * at the view centre (XRWebGLLayer.getNativeFramebufferScaleFactor): the
 * display can show viewport PPD × native / used. On a desktop both are 1.
 */
export function measureDisplay(
  views: readonly ViewMeasurement[],
  maxTextureSizePx: number,
  scale: { framebufferScale: number; nativeScale: number } = { framebufferScale: 1, nativeScale: 1 },
): DisplayProfile {
  const measured = views
    .filter((view) => view.viewportWidthPx > 0 && view.viewportHeightPx > 0)
    .map((view) => measuredDisplayProfile({ ...view, maxTextureSizePx }));
  const finest = measured.sort((a, b) => b.ppd - a.ppd)[0];
  if (!finest) throw new RangeError('no view with a viewport to measure');
  const toNative = scale.nativeScale > 0 && scale.framebufferScale > 0 ? scale.nativeScale / scale.framebufferScale : 1;
  return toNative === 1
    ? finest
    : { ...finest, ppd: round2(finest.ppd * toNative), averagePpd: round2((finest.averagePpd ?? finest.ppd) * toNative) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
