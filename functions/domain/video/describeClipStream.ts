import { runTool } from './runTool.js';
import { safeInputArgs } from './safeInput.js';
import { VideoToolError } from './errors.js';

export interface ClipStreamFacts {
  frameCount: number;
  /** Presentation time of the last frame, from the first. */
  lastFrameSeconds: number;
  /** The last frame's time plus one frame at the nominal rate: what the frames span, whatever the container's last sample says. */
  durationSeconds: number;
  /** RFC 6381 codecs parameter for the MP4, e.g. 'avc1.640028' or 'avc1.640028,mp4a.40.2'. */
  codecs: string;
  hasAudio: boolean;
}

interface ProbedStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
}
interface ProbedPacket {
  stream_index?: number;
  pts_time?: string;
}

/** H.264 profile_idc by the name ffprobe prints. */
const h264ProfileIdc: Record<string, number> = { Baseline: 0x42, 'Constrained Baseline': 0x42, Main: 0x4d, High: 0x64 };
/** Packet timestamps of a 5-minute 60 fps clip with audio are ~2 MB of JSON. */
const maxOutputBytes = 32 * 1024 * 1024;

/**
 * Reads back an encoded clip stream from its packets (no decoding): what the
 * manifest states about it, and the frame timestamps the duration checks use.
 */
export async function describeClipStream(
  ffprobe: string,
  path: string,
  frameRate: number,
  timeLimitSeconds: number,
): Promise<ClipStreamFacts> {
  const result = await runTool({
    binary: ffprobe,
    args: [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_entries',
      'stream=index,codec_type,codec_name,profile,level:packet=stream_index,pts_time',
      ...safeInputArgs({ path, demuxer: 'mov' }),
    ],
    step: 'reading back the clip',
    timeLimitSeconds,
    maxStdoutBytes: maxOutputBytes,
  });
  if (result.exitCode !== 0) throw new VideoToolError(`the encoded clip ${path} cannot be read back: ${result.stderrTail}`);
  const { streams = [], packets = [] } = JSON.parse(result.stdout.toString('utf8')) as {
    streams?: ProbedStream[];
    packets?: ProbedPacket[];
  };
  const video = streams.find((stream) => stream.codec_type === 'video');
  if (!video || video.codec_name !== 'h264') throw new VideoToolError(`the encoded clip ${path} has no H.264 stream`);
  const times = packets
    .filter((packet) => packet.stream_index === video.index && packet.pts_time !== undefined)
    .map((packet) => Number(packet.pts_time))
    .sort((a, b) => a - b);
  if (times.length === 0) throw new VideoToolError(`the encoded clip ${path} has no frames`);
  const lastFrameSeconds = times[times.length - 1]! - times[0]!;
  const profile = h264ProfileIdc[video.profile ?? ''] ?? 0x64;
  const videoCodec = `avc1.${hex(profile)}00${hex(video.level ?? 40)}`;
  const hasAudio = streams.some((stream) => stream.codec_type === 'audio' && stream.codec_name === 'aac');
  return {
    frameCount: times.length,
    lastFrameSeconds,
    durationSeconds: lastFrameSeconds + 1 / frameRate,
    codecs: hasAudio ? `${videoCodec},mp4a.40.2` : videoCodec,
    hasAudio,
  };
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
