export interface ClipSyncSettings {
  /** Beyond this many frames apart the centre stream is seeked to the base stream's time. */
  maxDriftFrames: number;
  /** Smaller drifts are closed by playing the centre this much faster or slower (0.05 = 5%). */
  rateCorrection: number;
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
 * sound, so it is the clock): a drift beyond `maxDriftFrames` is cut with
 * a seek; a smaller one is closed by nudging the centre's playback rate,
 * which is invisible where a seek would stall a frame; within a quarter of
 * a frame nothing is done. Both streams hold the same frames at the same
 * timestamps (docs/video.md), so equal times mean equal frames.
 */
export function clipSyncAction(baseSeconds: number, centreSeconds: number, frameRate: number, settings: ClipSyncSettings): ClipSyncAction {
  const frameSeconds = 1 / frameRate;
  const driftSeconds = centreSeconds - baseSeconds;
  if (Math.abs(driftSeconds) > settings.maxDriftFrames * frameSeconds) return { seekToSeconds: baseSeconds, playbackRate: 1 };
  if (Math.abs(driftSeconds) <= toleranceFrames * frameSeconds) return { playbackRate: 1 };
  return { playbackRate: driftSeconds > 0 ? 1 - settings.rateCorrection : 1 + settings.rateCorrection };
}
