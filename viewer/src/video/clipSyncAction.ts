export interface ClipSyncSettings {
  /** Beyond this drift (seconds) the centre stream is seeked to the base stream's time. */
  seekBeyondSeconds: number;
  /** A smaller drift is closed by the centre's playback rate, at this time constant (seconds). */
  catchUpSeconds: number;
  /** The most the centre's playback rate departs from the base's while catching up (0.5 = 50%). */
  maxRateCorrection: number;
}

export interface ClipSyncAction {
  /** Seek the centre stream here (the base stream's time). */
  seekToSeconds?: number;
  /** The centre stream's playback rate relative to the base stream's. */
  playbackRate: number;
}

/** Within this fraction of a frame the streams count as together: no correction. */
const toleranceFrames = 0.25;

/**
 * How to keep the centre stream on the base stream (which carries the
 * sound, so it is the clock). A drift is closed by the centre's playback
 * rate, in proportion to the drift (rate − 1 = −drift / catchUpSeconds,
 * capped), so any drift shrinks by the same factor per unit time and a few
 * frames are gone in a fraction of a second without a visible stall. Only a
 * drift beyond `seekBeyondSeconds` is cut with a seek: a seek decodes from
 * the keyframe while the base plays on, so it lands late by its own length
 * and, as the only correction, chased itself. Within a quarter of a frame
 * nothing is done. Both streams hold the same frames at the same timestamps
 * (docs/video.md), so equal times mean equal frames.
 */
export function clipSyncAction(baseSeconds: number, centreSeconds: number, frameRate: number, settings: ClipSyncSettings): ClipSyncAction {
  const driftSeconds = centreSeconds - baseSeconds;
  if (Math.abs(driftSeconds) > settings.seekBeyondSeconds) return { seekToSeconds: baseSeconds, playbackRate: 1 };
  if (Math.abs(driftSeconds) <= toleranceFrames / frameRate) return { playbackRate: 1 };
  const correction = Math.max(-settings.maxRateCorrection, Math.min(settings.maxRateCorrection, driftSeconds / settings.catchUpSeconds));
  return { playbackRate: 1 - correction };
}
