import { arcminPerDegree } from './constants.js';
import type { AcuitySettings } from './types.js';

/**
 * Minimum angle of resolution at an eccentricity from the head direction,
 * arcminutes: MAR(e) = ω0 + m·e (Guenter et al. 2012, "Foveated 3D graphics"),
 * with e reduced by the eye-movement margin because, without eye tracking, the
 * fovea may be anywhere within it.
 */
export function marArcmin(eccentricityDeg: number, acuity: AcuitySettings): number {
  const beyondMarginDeg = Math.max(0, eccentricityDeg - acuity.eyeMarginDeg);
  return acuity.mar0Arcmin + acuity.marSlopeArcminPerDeg * beyondMarginDeg;
}

/** Pixels per degree the eye can use there: no more than the display shows, no more than MAR resolves. */
export function usefulPpd(eccentricityDeg: number, displayPpd: number, acuity: AcuitySettings): number {
  return Math.min(displayPpd, arcminPerDegree / marArcmin(eccentricityDeg, acuity));
}

/**
 * The eccentricity beyond which the eye uses at most `ppd` (the inverse of
 * usefulPpd): a layer of that PPD suffices everywhere farther out.
 */
export function eccentricityWherePpdFallsTo(ppd: number, acuity: AcuitySettings): number {
  const marAtPpd = arcminPerDegree / ppd;
  if (marAtPpd <= acuity.mar0Arcmin) return 0;
  return acuity.eyeMarginDeg + (marAtPpd - acuity.mar0Arcmin) / acuity.marSlopeArcminPerDeg;
}
