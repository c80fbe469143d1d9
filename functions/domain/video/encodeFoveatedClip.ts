import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import type { FoveatedClipPlan, PlannedClipStream, PxBox } from '../foveate/index.js';
import { classifyToolFailure } from './classifyToolFailure.js';
import { runTool } from './runTool.js';
import { safeInputArgs, type VideoInput } from './safeInput.js';
import type { AnalysisSettings, ClipEncodingSettings, EncodeProgress, VideoProbe } from './types.js';

export interface ClipEncodeRequest {
  ffmpeg: string;
  input: VideoInput;
  probe: VideoProbe;
  plan: FoveatedClipPlan;
  clip: ClipEncodingSettings;
  analysis: AnalysisSettings;
  /** Where the outputs are written (a fresh temporary folder). */
  workDir: string;
  timeLimitSeconds: number;
  onProgress?: (progress: EncodeProgress) => void;
  /** Seconds of wall time between progress reports. */
  progressEverySeconds?: number;
}

export interface AnalysisFrames {
  path: string;
  widthPx: number;
  heightPx: number;
  framesPerSecond: number;
  frameCount: number;
}

export interface EncodedClip {
  basePath: string;
  centrePath: string;
  analysis: AnalysisFrames;
}

/**
 * One decode, three outputs: the base and centre streams (H.264, MP4 with
 * faststart) and small RGB frames for analysis. Both streams come from the
 * same decoded frames through the same encoder settings, so they have the same
 * frame count, timestamps and keyframe positions.
 */
export async function encodeFoveatedClip(request: ClipEncodeRequest): Promise<EncodedClip> {
  const { probe, plan, clip, workDir } = request;
  const analysisSize = analysisFrameSize(plan.source, request.analysis.longSidePx);
  const basePath = join(workDir, 'base.mp4');
  const centrePath = join(workDir, 'centre.mp4');
  const analysisPath = join(workDir, 'analysis.rgb');
  const video = h264Mp4OutputArgs(clip, Math.min(probe.video.frameRate, clip.maxFrameRate));
  const audio = probe.hasAudio ? audioOutputArgs(clip) : [];

  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    // Timestamps pass through (repeated ones dropped), identically for both streams.
    '-vsync',
    'vfr',
    '-progress',
    'pipe:1',
    '-nostats',
    ...safeInputArgs(request.input),
    '-filter_complex',
    clipFilterGraph(probe, plan, clip, { ...request.analysis, ...analysisSize }),
    '-map',
    '[base]',
    ...audio,
    ...video,
    `file:${basePath}`,
    '-map',
    '[centre]',
    '-an',
    ...video,
    `file:${centrePath}`,
    '-map',
    '[analysis]',
    '-an',
    '-f',
    'rawvideo',
    `file:${analysisPath}`,
  ];

  const started = Date.now();
  let lastReport = started;
  const every = (request.progressEverySeconds ?? 10) * 1000;
  const result = await runTool({
    binary: request.ffmpeg,
    args,
    step: 'the clip encode',
    timeLimitSeconds: request.timeLimitSeconds,
    onStdoutLine: (line) => {
      const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
      if (!match || !request.onProgress || Date.now() - lastReport < every) return;
      lastReport = Date.now();
      const doneSeconds = Number(match[1]) / 1e6;
      request.onProgress({
        step: 'clip encode',
        doneSeconds,
        totalSeconds: probe.durationSeconds,
        speed: doneSeconds / ((lastReport - started) / 1000),
      });
    },
  });
  if (result.exitCode !== 0) throw classifyToolFailure(probe.container, result.stderrTail);
  const frameBytes = analysisSize.widthPx * analysisSize.heightPx * 3;
  const { size } = await stat(analysisPath);
  return {
    basePath,
    centrePath,
    analysis: {
      path: analysisPath,
      ...analysisSize,
      framesPerSecond: request.analysis.framesPerSecond,
      frameCount: Math.floor(size / frameBytes),
    },
  };
}

/**
 * H.264 High, 4:2:0, at the configured CRF and preset, in an MP4 with
 * faststart and no metadata. Fixed GOPs without scene-cut keyframes: streams
 * of one video have keyframes at the same frames and seek together.
 */
export function h264Mp4OutputArgs(
  clip: Pick<ClipEncodingSettings, 'crf' | 'preset' | 'keyframeIntervalSeconds'>,
  frameRate: number,
): string[] {
  const keyframeInterval = String(Math.max(1, Math.round(frameRate * clip.keyframeIntervalSeconds)));
  return [
    '-c:v',
    'libx264',
    '-preset',
    clip.preset,
    '-crf',
    String(clip.crf),
    '-profile:v',
    'high',
    '-pix_fmt',
    'yuv420p',
    '-g',
    keyframeInterval,
    '-keyint_min',
    keyframeInterval,
    '-sc_threshold',
    '0',
    '-movflags',
    '+faststart',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-f',
    'mp4',
  ];
}

/** The first audio stream as stereo AAC. */
export function audioOutputArgs(clip: Pick<ClipEncodingSettings, 'audioBitrateKbps'>): string[] {
  return ['-map', '0:a:0', '-c:a', 'aac', '-b:a', `${clip.audioBitrateKbps}k`, '-ac', '2'];
}

/** The analysis frames' size: the frame's aspect, long side at most `longSidePx`. */
function analysisFrameSize(source: { widthPx: number; heightPx: number }, longSidePx: number): { widthPx: number; heightPx: number } {
  const scale = Math.min(1, longSidePx / Math.max(source.widthPx, source.heightPx));
  return { widthPx: Math.max(1, Math.round(source.widthPx * scale)), heightPx: Math.max(1, Math.round(source.heightPx * scale)) };
}

/**
 * The ffmpeg filter graph: the displayed frame (ffmpeg has already applied the
 * rotation; anamorphic pixels are squared here), capped in frame rate, split
 * into the base, the centre crop and the analysis frames.
 */
function clipFilterGraph(
  probe: VideoProbe,
  plan: FoveatedClipPlan,
  clip: Pick<ClipEncodingSettings, 'maxFrameRate'>,
  analysis: { framesPerSecond: number; widthPx: number; heightPx: number },
): string {
  const prepare = [
    ...(probe.video.sampleAspect === 1 ? [] : [`scale=${plan.source.widthPx}:${plan.source.heightPx}`, 'setsar=1']),
    ...(probe.video.frameRate > clip.maxFrameRate ? [`fps=${clip.maxFrameRate}`] : []),
    'split=3[b][c][a]',
  ];
  return [
    `[0:${probe.video.index}]${prepare.join(',')}`,
    `[b]${streamFilters(plan.base, plan.source)}[base]`,
    `[c]${streamFilters(plan.centre, plan.source)}[centre]`,
    `[a]fps=${analysis.framesPerSecond},scale=${analysis.widthPx}:${analysis.heightPx}:flags=area,format=rgb24[analysis]`,
  ].join(';');
}

function holeFill({ x0, y0, x1, y1 }: PxBox): string {
  return `drawbox=x=${x0}:y=${y0}:w=${x1 - x0}:h=${y1 - y0}:color=gray:t=fill`;
}

function streamFilters(stream: PlannedClipStream, source: { widthPx: number; heightPx: number }): string {
  const { x0, y0, x1, y1 } = stream.source;
  const cropped = x0 !== 0 || y0 !== 0 || x1 !== source.widthPx || y1 !== source.heightPx;
  const scaled = stream.widthPx !== x1 - x0 || stream.heightPx !== y1 - y0;
  return [
    ...(cropped ? [`crop=${x1 - x0}:${y1 - y0}:${x0}:${y0}`] : []),
    // Area averaging for the large reductions of the base; bicubic for the centre's small ones.
    ...(scaled ? [`scale=${stream.widthPx}:${stream.heightPx}:flags=${stream.role === 'base' ? 'area' : 'bicubic'}`] : []),
    // What the centre stream covers is drawn flat: the encoder then spends almost nothing there.
    ...(stream.hole ? [holeFill(stream.hole)] : []),
    'setsar=1',
    'format=yuv420p',
  ].join(',');
}
