import type { VideoStreamFacts } from '../items/index.js';
import { CorruptVideoError, NoVideoStreamError, UnknownDurationError } from './errors.js';
import { classifyToolFailure } from './classifyToolFailure.js';
import { runTool } from './runTool.js';
import { safeInputArgs, type VideoInput } from './safeInput.js';
import type { VideoProbe } from './types.js';

/** The parts of `ffprobe -print_format json -show_format -show_streams` read here. */
interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  channels?: number;
  sample_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string; DURATION?: string };
  side_data_list?: { rotation?: number }[];
}
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { duration?: string };
}

/** A probe's JSON can be no larger than this; a file with absurdly many streams is refused. */
const maxProbeOutputBytes = 4 * 1024 * 1024;
const streamTypes = ['video', 'audio', 'subtitle', 'data', 'attachment'] as const;

/** Reads the container's header with ffprobe, safely (see safeInputArgs), within a time limit; decodes nothing. */
export async function probeVideo(ffprobe: string, input: VideoInput, timeLimitSeconds: number): Promise<VideoProbe> {
  const result = await runTool({
    binary: ffprobe,
    args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...safeInputArgs(input)],
    step: 'the probe',
    timeLimitSeconds,
    maxStdoutBytes: maxProbeOutputBytes,
  });
  if (result.exitCode !== 0) throw classifyToolFailure(input.demuxer, result.stderrTail);
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(result.stdout.toString('utf8')) as FfprobeOutput;
  } catch {
    throw new CorruptVideoError('corrupt', input.demuxer, 'ffprobe described it in a way that is not JSON');
  }
  return parseFfprobeOutput(parsed, input.demuxer);
}

/** Pure: ffprobe's JSON to the facts the pipeline checks. Cover art (an attached picture) is not video. */
export function parseFfprobeOutput(output: FfprobeOutput, container: VideoProbe['container']): VideoProbe {
  const all = output.streams ?? [];
  const streams: VideoStreamFacts[] = all.flatMap((stream, position) => {
    const type = streamTypes.find((candidate) => candidate === stream.codec_type);
    if (!type) return [];
    return [
      {
        index: stream.index ?? position,
        type,
        codec: stream.codec_name ?? 'unknown',
        ...(type === 'video' && stream.width && stream.height ? { widthPx: stream.width, heightPx: stream.height } : {}),
        ...(type === 'audio' && stream.channels ? { channels: stream.channels } : {}),
        ...(type === 'audio' && stream.sample_rate ? { sampleRateHz: Number(stream.sample_rate) } : {}),
      },
    ];
  });
  const video = all.find((stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1);
  if (!video) throw new NoVideoStreamError(streams.map((stream) => (stream.type === 'video' ? 'a still picture' : `${stream.type}`)));
  if (!video.width || !video.height) throw new CorruptVideoError('corrupt', container, 'its video stream has no frame size');

  const durationSeconds = firstPositive(output.format?.duration, video.duration, video.tags?.DURATION);
  if (durationSeconds === undefined) throw new UnknownDurationError(container);
  const frameRate = firstPositive(video.avg_frame_rate, video.r_frame_rate);
  if (frameRate === undefined) throw new CorruptVideoError('corrupt', container, 'its video stream states no frame rate');

  const rotationDeg = normalizeRotation(
    video.side_data_list?.find((entry) => entry.rotation !== undefined)?.rotation ?? -Number(video.tags?.rotate ?? 0),
  );
  const sampleAspect = parseRatio(video.sample_aspect_ratio) ?? 1;
  const storedWidth = Math.round(video.width * sampleAspect);
  const quarterTurn = rotationDeg === 90 || rotationDeg === 270;
  return {
    container,
    durationSeconds,
    video: {
      index: video.index ?? all.indexOf(video),
      codec: video.codec_name ?? 'unknown',
      widthPx: quarterTurn ? video.height : storedWidth,
      heightPx: quarterTurn ? storedWidth : video.height,
      sampleAspect,
      frameRate,
      rotationDeg,
      durationSeconds: firstPositive(video.duration, video.tags?.DURATION) ?? durationSeconds,
    },
    hasAudio: all.some((stream) => stream.codec_type === 'audio'),
    streams,
  };
}

/** "30000/1001", "25", "00:01:02.500000000" (Matroska's DURATION tag) or a plain number of seconds. */
function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const clock = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return parseRatio(value) ?? undefined;
}

function parseRatio(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const [numerator, denominator = '1'] = value.split(/[/:]/);
  const ratio = Number(numerator) / Number(denominator);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : undefined;
}

function firstPositive(...values: (string | undefined)[]): number | undefined {
  for (const value of values) {
    const seconds = parseSeconds(value);
    if (seconds !== undefined) return seconds;
  }
  return undefined;
}

function normalizeRotation(degrees: number): number {
  const quarter = Math.round(degrees / 90) * 90;
  return ((quarter % 360) + 360) % 360;
}
