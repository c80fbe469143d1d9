import { VideoFrameRateTooHighError, VideoFrameTooLargeError, VideoTooLongError } from './errors.js';
import type { VideoLimits, VideoProbe } from './types.js';

/** Refuses, from the probe alone, a video whose decode would cost more than the function is sized for. */
export function checkVideoLimits(probe: VideoProbe, limits: Omit<VideoLimits, 'maxBytes'>): void {
  const { widthPx, heightPx, frameRate } = probe.video;
  if (widthPx * heightPx > limits.maxPixels) throw new VideoFrameTooLargeError(widthPx, heightPx, limits.maxPixels);
  if (probe.durationSeconds > limits.maxDurationSeconds) throw new VideoTooLongError(probe.durationSeconds, limits.maxDurationSeconds);
  if (frameRate > limits.maxFrameRate) throw new VideoFrameRateTooHighError(frameRate, limits.maxFrameRate);
}
