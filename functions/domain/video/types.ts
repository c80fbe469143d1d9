import type { VideoStreamFacts } from '../items/index.js';
import type { VideoDemuxer } from './safeInput.js';

/** What ffprobe says about a video, reduced to what the pipeline checks and records. */
export interface VideoProbe {
  container: VideoDemuxer;
  durationSeconds: number;
  video: {
    index: number;
    codec: string;
    /** Displayed frame size: stored size times the sample aspect ratio, then rotated. */
    widthPx: number;
    heightPx: number;
    /** Width over height of one stored pixel; 1 except for anamorphic video. */
    sampleAspect: number;
    frameRate: number;
    /** Counter-clockwise degrees (0, 90, 180, 270) from the container's display matrix; ffmpeg applies it when decoding. */
    rotationDeg: number;
    /** The video stream's own duration where the container states it (the audio may run longer). */
    durationSeconds: number;
  };
  hasAudio: boolean;
  streams: VideoStreamFacts[];
}

export interface VideoLimits {
  maxBytes: number;
  maxDurationSeconds: number;
  maxPixels: number;
  maxFrameRate: number;
}

export interface VideoTimeLimits {
  probeSeconds: number;
  frameSeconds: number;
  encodeSecondsPerVideoSecond: number;
  encodeMinSeconds: number;
  reserveSeconds: number;
}

export interface AnalysisSettings {
  framesPerSecond: number;
  longSidePx: number;
  shotCutDistance: number;
}

export interface ClipEncodingSettings {
  crf: number;
  preset: string;
  maxFrameRate: number;
  keyframeIntervalSeconds: number;
  audioBitrateKbps: number;
}

/** Progress of a long ffmpeg run, for logs. */
export interface EncodeProgress {
  step: string;
  doneSeconds: number;
  totalSeconds: number;
  /** Video seconds per wall-clock second so far. */
  speed: number;
}
