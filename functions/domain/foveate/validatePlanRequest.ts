import { InvalidFoveateParameterError } from './errors.js';
import type { EncodingSpec, PlanRequest } from './types.js';

/** Checks every input the planner relies on, naming the first bad one (sharp's lib/is.js, in one place). */
export function validatePlanRequest(request: PlanRequest): void {
  const { source, surface, profiles, settings } = request;
  positiveInteger('source.widthPx', source.widthPx);
  positiveInteger('source.heightPx', source.heightPx);
  if (profiles.length === 0) throw new InvalidFoveateParameterError('profiles', 'at least one display profile', profiles);
  for (const [index, profile] of profiles.entries()) {
    positive(`profiles[${index}].ppd`, profile.ppd);
    if (!Number.isInteger(profile.maxTextureSizePx) || profile.maxTextureSizePx < 64) {
      throw new InvalidFoveateParameterError(`profiles[${index}].maxTextureSizePx`, 'an integer of at least 64', profile.maxTextureSizePx);
    }
  }
  const [yawLeft, yawRight] = surface.yawDeg;
  const [pitchBottom, pitchTop] = surface.pitchDeg;
  if (surface.projection === 'flat') {
    if (!(yawRight > 0 && yawRight < 90 && yawLeft === -yawRight)) {
      throw new InvalidFoveateParameterError('surface.yawDeg', 'a flat panel symmetric about 0, narrower than 180°', surface.yawDeg);
    }
    if (!(pitchTop > 0 && pitchTop < 90 && pitchBottom === -pitchTop)) {
      throw new InvalidFoveateParameterError('surface.pitchDeg', 'a flat panel symmetric about 0, shorter than 180°', surface.pitchDeg);
    }
  } else {
    if (!(yawLeft >= -180 && yawRight <= 180 && yawLeft < yawRight)) {
      throw new InvalidFoveateParameterError('surface.yawDeg', 'an increasing range within [-180, 180]', surface.yawDeg);
    }
    if (!(pitchBottom >= -90 && pitchTop <= 90 && pitchBottom < pitchTop)) {
      throw new InvalidFoveateParameterError('surface.pitchDeg', 'an increasing range within [-90, 90]', surface.pitchDeg);
    }
  }
  const { acuity, ladder, tiles, base, encoding } = settings;
  nonNegative('acuity.eyeMarginDeg', acuity.eyeMarginDeg);
  positive('acuity.mar0Arcmin', acuity.mar0Arcmin);
  positive('acuity.marSlopeArcminPerDeg', acuity.marSlopeArcminPerDeg);
  positive('ladder.ladderBasePpd', ladder.ladderBasePpd);
  if (!(ladder.ladderRatio > 1)) throw new InvalidFoveateParameterError('ladder.ladderRatio', 'a number above 1', ladder.ladderRatio);
  if (!(ladder.minTopStepRatio >= 1))
    throw new InvalidFoveateParameterError('ladder.minTopStepRatio', 'a number of at least 1', ladder.minTopStepRatio);
  positive('ladder.baseMinPpd', ladder.baseMinPpd);
  if (!Number.isInteger(tiles.maxPx) || tiles.maxPx < 16)
    throw new InvalidFoveateParameterError('tiles.maxPx', 'an integer of at least 16', tiles.maxPx);
  if (!Number.isInteger(tiles.overlapPx) || tiles.overlapPx < 0)
    throw new InvalidFoveateParameterError('tiles.overlapPx', 'a non-negative integer', tiles.overlapPx);
  if (!(tiles.shareWithinPpdRatio >= 1))
    throw new InvalidFoveateParameterError('tiles.shareWithinPpdRatio', 'a number of at least 1', tiles.shareWithinPpdRatio);
  positive('base.maxBytes', base.maxBytes);
  positive('base.worstCaseBitsPerPixel', base.worstCaseBitsPerPixel);
  for (const role of ['base', 'ring', 'tiles'] as const) encodings(`encoding.${role}`, encoding[role]);
  if (!(Number.isInteger(encoding.peripheralTileEffort) && encoding.peripheralTileEffort >= 0)) {
    throw new InvalidFoveateParameterError('encoding.peripheralTileEffort', 'a whole encoder effort ≥ 0', encoding.peripheralTileEffort);
  }
  if (!(encoding.minQuality >= 1 && encoding.minQuality <= 100)) {
    throw new InvalidFoveateParameterError('encoding.minQuality', 'a quality in [1, 100]', encoding.minQuality);
  }
}

function encodings(name: string, specs: readonly EncodingSpec[]): void {
  if (specs.length === 0) throw new InvalidFoveateParameterError(name, 'at least one encoding', specs);
  for (const [index, spec] of specs.entries()) {
    if (!['webp', 'avif', 'jpeg'].includes(spec.format))
      throw new InvalidFoveateParameterError(`${name}[${index}].format`, "'webp', 'avif' or 'jpeg'", spec.format);
    if (!(Number.isInteger(spec.quality) && spec.quality >= 1 && spec.quality <= 100)) {
      throw new InvalidFoveateParameterError(`${name}[${index}].quality`, 'an integer in [1, 100]', spec.quality);
    }
  }
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new InvalidFoveateParameterError(name, 'a positive integer', value);
}

function positive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidFoveateParameterError(name, 'a positive number', value);
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new InvalidFoveateParameterError(name, 'a non-negative number', value);
}
