/**
 * The framebuffer scale to request for a session: the device's native one
 * (XRWebGLLayer.getNativeFramebufferScaleFactor: one framebuffer pixel per
 * display pixel at the view centre), so a PPD-matched layer is not
 * resampled down before the lens, capped at `maxScale` for the GPU's sake.
 * Browsers that report no native scale (0, or not at all) get 1, their
 * recommended size.
 */
export function chooseFramebufferScale(nativeScale: number | undefined, maxScale: number): number {
  if (nativeScale === undefined || !Number.isFinite(nativeScale) || nativeScale <= 0) return 1;
  return Math.min(nativeScale, maxScale);
}
