import { poolEmbeddings, type Embedder, type RawPixels } from '../embed/index.js';
import { displayProfile, planFoveatedClip, surfaceForImage, type FoveatedClipPlan, type FoveationSettings } from '../foveate/index.js';
import { checkVideoLimits } from './checkVideoLimits.js';
import { describeClipStream, type ClipStreamFacts } from './describeClipStream.js';
import { encodeFoveatedClip } from './encodeFoveatedClip.js';
import { CorruptVideoError, VideoToolError } from './errors.js';
import { extractFrame } from './extractFrame.js';
import type { FfmpegBinaries } from './ffmpegBinaries.js';
import { frameHistograms, readAnalysisFrame } from './frameHistograms.js';
import { probeVideo } from './probeVideo.js';
import type { VideoInput } from './safeInput.js';
import { scoreFrame } from './scoreFrame.js';
import { detectShots, selectKeyframes } from './selectKeyframes.js';
import type { AnalysisSettings, ClipEncodingSettings, EncodeProgress, VideoLimits, VideoProbe, VideoTimeLimits } from './types.js';

export interface VideoSettings {
  limits: VideoLimits;
  timeLimits: VideoTimeLimits;
  analysis: AnalysisSettings;
  clip: ClipEncodingSettings;
}

export interface VideoProcessingRequest {
  binaries: FfmpegBinaries;
  input: VideoInput;
  /** A fresh folder for the outputs; the caller removes it. */
  workDir: string;
  settings: VideoSettings;
  foveation: FoveationSettings;
  embedder: Embedder;
  maxKeyframes: number;
  /** Epoch milliseconds by which the whole job must end (the function's own timeout); none locally. */
  deadlineMs?: number;
  onProgress?: (progress: EncodeProgress) => void;
}

export interface ProcessedClipStream {
  path: string;
  facts: ClipStreamFacts;
}

export interface ProcessedVideo {
  probe: VideoProbe;
  plan: FoveatedClipPlan;
  base: ProcessedClipStream;
  centre: ProcessedClipStream;
  shots: { startSeconds: number; endSeconds: number; keyframeSeconds: number[] }[];
  /** Keyframe embeddings pooled into one, L2-normalised. */
  embedding: Float32Array;
  poster: { seconds: number; pixels: RawPixels };
}

/**
 * Everything ffmpeg does for one video file, in order: probe and check the
 * limits before decoding anything; one decode into the foveated clip and the
 * analysis frames; shots and keyframes from those; keyframe embeddings
 * pooled; the best keyframe extracted at full size as the poster. Storage is
 * the caller's (functions/stages/ingest).
 */
export async function processVideo(request: VideoProcessingRequest): Promise<ProcessedVideo> {
  const { binaries, input, settings, foveation } = request;
  const { timeLimits } = settings;
  const probe = await probeVideo(binaries.ffprobe, input, timeLimits.probeSeconds);
  checkVideoLimits(probe, settings.limits);

  const source = { widthPx: probe.video.widthPx, heightPx: probe.video.heightPx };
  const plan = planFoveatedClip({
    source,
    surface: surfaceForImage(source, foveation),
    profiles: foveation.profiles.map((id) => displayProfile(id)),
    settings: foveation,
  });
  const encodeLimit = Math.max(timeLimits.encodeMinSeconds, probe.durationSeconds * timeLimits.encodeSecondsPerVideoSecond);
  const encoded = await encodeFoveatedClip({
    ffmpeg: binaries.ffmpeg,
    input,
    probe,
    plan,
    clip: settings.clip,
    analysis: settings.analysis,
    workDir: request.workDir,
    timeLimitSeconds: withinDeadline(encodeLimit, request.deadlineMs, timeLimits.reserveSeconds),
    onProgress: request.onProgress,
  });
  const clipFrameRate = Math.min(probe.video.frameRate, settings.clip.maxFrameRate);
  const [baseFacts, centreFacts] = await Promise.all(
    [encoded.basePath, encoded.centrePath].map((path) =>
      describeClipStream(binaries.ffprobe, path, clipFrameRate, timeLimits.probeSeconds),
    ),
  );
  checkDecodedDuration(probe, baseFacts!, centreFacts!);

  const { analysis } = encoded;
  const histograms = await frameHistograms(analysis);
  if (histograms.length === 0) throw new CorruptVideoError('corrupt', probe.container, 'no frame could be decoded');
  const framesPerSecond = analysis.framesPerSecond;
  const shots = detectShots(histograms, settings.analysis.shotCutDistance, Math.ceil(framesPerSecond));
  const keyframes = selectKeyframes(shots, request.maxKeyframes);
  const embeddings: Float32Array[] = [];
  let best = { frame: 0, score: -Infinity };
  for (const { frames } of keyframes) {
    for (const frame of frames) {
      const pixels = await readAnalysisFrame(analysis, frame);
      embeddings.push(await request.embedder.embed({ pixels }));
      const score = await scoreFrame(pixels);
      if (score > best.score) best = { frame, score };
    }
  }
  const posterSeconds = Math.min(best.frame / framesPerSecond, Math.max(0, probe.video.durationSeconds - 1 / probe.video.frameRate));
  const posterPixels = await extractFrame(
    binaries.ffmpeg,
    input,
    probe,
    posterSeconds,
    withinDeadline(timeLimits.frameSeconds, request.deadlineMs, 0),
  );
  const seconds = (frame: number) => frame / framesPerSecond;
  return {
    probe,
    plan,
    base: { path: encoded.basePath, facts: baseFacts! },
    centre: { path: encoded.centrePath, facts: centreFacts! },
    shots: keyframes.map(({ shot, frames }) => ({
      startSeconds: seconds(shot.startFrame),
      endSeconds: Math.min(probe.durationSeconds, seconds(shot.endFrame)),
      keyframeSeconds: frames.map(seconds),
    })),
    embedding: poolEmbeddings(embeddings),
    poster: { seconds: posterSeconds, pixels: posterPixels },
  };
}

/** A step's limit, shortened so that `reserveSeconds` remain before the deadline. */
function withinDeadline(limitSeconds: number, deadlineMs: number | undefined, reserveSeconds: number): number {
  if (deadlineMs === undefined) return limitSeconds;
  return Math.max(1, Math.min(limitSeconds, (deadlineMs - Date.now()) / 1000 - reserveSeconds));
}

/**
 * The streams must cover the video: a file whose data ends early (a cut-off
 * upload with its index up front) decodes to less than the container states.
 * Both streams come from the same frames, so their timestamps are identical.
 */
function checkDecodedDuration(probe: VideoProbe, base: ClipStreamFacts, centre: ClipStreamFacts): void {
  if (base.frameCount !== centre.frameCount || Math.abs(base.lastFrameSeconds - centre.lastFrameSeconds) > 1e-3) {
    throw new VideoToolError(
      `the clip streams disagree: ${base.frameCount} frames to ${base.lastFrameSeconds} s and ${centre.frameCount} frames to ${centre.lastFrameSeconds} s`,
    );
  }
  const expected = probe.video.durationSeconds;
  const shortfall = expected - centre.durationSeconds;
  if (shortfall > Math.max(2 / probe.video.frameRate, 0.1 * expected)) {
    throw new CorruptVideoError(
      'truncated',
      probe.container,
      `it states ${expected.toFixed(2)} s but its frames end at ${centre.durationSeconds.toFixed(2)} s`,
    );
  }
}
