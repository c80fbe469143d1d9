import { MediaRejectedError } from '../media/index.js';

/**
 * Why a video cannot become an item. Like every MediaRejectedError these are
 * permanent (the same bytes fail the same way) and end in an errors/ record.
 */
export class NoVideoStreamError extends MediaRejectedError {
  constructor(streamTypes: readonly string[]) {
    const holds = streamTypes.length > 0 ? `only ${[...new Set(streamTypes)].join(' and ')}` : 'no streams at all';
    super('no-video-stream', `the file has no video stream (it holds ${holds}); upload a video or an image`);
    this.name = 'NoVideoStreamError';
  }
}

export class VideoTooLongError extends MediaRejectedError {
  constructor(durationSeconds: number, maxSeconds: number) {
    super(
      'too-long',
      `the video is ${formatSeconds(durationSeconds)} long; videos are limited to ${formatSeconds(maxSeconds)}: trim it and upload again`,
    );
    this.name = 'VideoTooLongError';
  }
}

export class VideoFrameTooLargeError extends MediaRejectedError {
  constructor(widthPx: number, heightPx: number, maxPixels: number) {
    super(
      'too-many-pixels',
      `the video's frames are ${widthPx}×${heightPx} pixels; the limit is ${maxPixels.toLocaleString('en-US')} pixels per frame (4K): scale it down`,
    );
    this.name = 'VideoFrameTooLargeError';
  }
}

export class VideoFrameRateTooHighError extends MediaRejectedError {
  constructor(frameRate: number, maxFrameRate: number) {
    super('frame-rate-too-high', `the video runs at ${frameRate.toFixed(2)} frames per second; the limit is ${maxFrameRate}`);
    this.name = 'VideoFrameRateTooHighError';
  }
}

export class UnknownDurationError extends MediaRejectedError {
  constructor(container: string) {
    super('unknown-duration', `the ${container} file states no duration, so its length cannot be checked before decoding`);
    this.name = 'UnknownDurationError';
  }
}

export class CorruptVideoError extends MediaRejectedError {
  constructor(code: 'truncated' | 'corrupt', container: string, detail: string) {
    const what = code === 'truncated' ? 'is truncated (the upload may have been cut short)' : 'could not be read';
    super(code, `the ${container} video ${what}: ${detail}`);
    this.name = 'CorruptVideoError';
  }
}

export class UnsupportedCodecError extends MediaRejectedError {
  constructor(codec: string, detail: string) {
    super('unsupported-codec', `the video's ${codec} stream cannot be decoded here: ${detail}`);
    this.name = 'UnsupportedCodecError';
  }
}

/** An ffmpeg or ffprobe run overran its limit and was killed; the same input would overrun again. */
export class VideoTimeLimitError extends MediaRejectedError {
  constructor(step: string, limitSeconds: number) {
    super(
      'time-limit',
      `${step} did not finish within ${Math.round(limitSeconds)} s and was stopped; the video is too demanding for its length`,
    );
    this.name = 'VideoTimeLimitError';
  }
}

/** ffmpeg or ffprobe could not be started or died of a signal: a fault of this machine, worth a retry. */
export class VideoToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoToolError';
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
