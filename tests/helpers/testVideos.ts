import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { opencvDataPath } from '../../bench/realPhotos.js';
import { resolveFfmpegBinaries } from '../../functions/domain/video/index.js';

/**
 * Test videos: real ones from Debian's opencv-doc (fetched once, like the
 * benchmarks' photos) and clips generated with ffmpeg's lavfi sources into a
 * folder the test owns. Generated clips are short and small: they exist to
 * exercise one property each.
 */
const binaries = resolveFfmpegBinaries();

export const realVideoNames = ['vtest.avi', 'tree.avi', 'Megamind.avi'] as const;

export function realVideoPath(name: (typeof realVideoNames)[number]): string {
  return join(opencvDataPath(), name);
}

/** Runs ffmpeg (quiet, overwrite) with lavfi allowed: for making inputs, never on uploads. */
export function ffmpeg(args: readonly string[]): void {
  execFileSync(binaries.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface ClipSpec {
  widthPx: number;
  heightPx: number;
  seconds: number;
  frameRate?: number;
  /** A lavfi video source, with options if any: testsrc2 (a moving pattern), mandelbrot, color=c=gray, … */
  pattern?: string;
  audio?: boolean;
  /** Container by extension: .mp4, .mov, .mkv, .webm, .avi */
  path: string;
  /** moov before mdat (MP4/MOV); ffmpeg writes it after by default. */
  faststart?: boolean;
}

/** A synthetic clip; H.264 (VP8 for WebM) at ultrafast so making it costs little. */
export function makeClip(spec: ClipSpec): string {
  const rate = spec.frameRate ?? 25;
  const pattern = spec.pattern ?? 'testsrc2';
  const webm = spec.path.endsWith('.webm');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `${pattern}${pattern.includes('=') ? ':' : '='}size=${spec.widthPx}x${spec.heightPx}:rate=${rate}`,
    ...(spec.audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
    '-t',
    String(spec.seconds),
    ...(webm
      ? ['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']),
    ...(spec.audio ? (webm ? ['-c:a', 'libvorbis'] : ['-c:a', 'aac']) : []),
    ...(spec.faststart ? ['-movflags', '+faststart'] : []),
    spec.path,
  ]);
  return spec.path;
}

/** Two visibly different shots, `secondsEach` long each, joined by a hard cut. */
export function makeTwoShotClip(path: string, secondsEach: number): string {
  const size = '320x180';
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=25:duration=${secondsEach}`,
    '-f',
    'lavfi',
    '-i',
    `mandelbrot=size=${size}:rate=25`,
    '-filter_complex',
    `[1:v]trim=duration=${secondsEach},setpts=PTS-STARTPTS[m];[0:v][m]concat=n=2:v=1[v]`,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return path;
}

/**
 * A clip whose stored frames are landscape with a red square in the top-left
 * corner, and whose display matrix turns it a quarter (ffprobe: rotation 90,
 * counter-clockwise): shown upright it is portrait with the square bottom-left.
 */
export function makeRotatedClip(workDir: string, path: string): string {
  const stored = join(workDir, 'stored-landscape.mp4');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=blue:size=320x180:rate=25:duration=1,drawbox=x=0:y=0:w=60:h=60:color=red:t=fill',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    stored,
  ]);
  ffmpeg(['-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', path]);
  return path;
}

/** An MP4 with only a sine tone. */
export function makeAudioOnly(path: string, seconds: number): string {
  ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac', path]);
  return path;
}

/** The first `fraction` of a file's bytes: an upload cut short. */
export function truncated(path: string, fraction: number): Buffer {
  const bytes = readFileSync(path);
  return bytes.subarray(0, Math.floor(bytes.length * fraction));
}

/** An HLS playlist naming one segment (a local file or a URL). */
export function hlsPlaylist(segment: string): Buffer {
  return Buffer.from(`#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${segment}\n#EXT-X-ENDLIST\n`);
}

/** An ffconcat list naming one file (a local path or a URL). */
export function ffconcatList(target: string): Buffer {
  return Buffer.from(`ffconcat version 1.0\nfile '${target}'\n`);
}

/** Video packet timestamps, read with ffprobe without decoding: what the clip checks compare. */
export function videoPacketTimes(path: string): number[] {
  const output = execFileSync(
    binaries.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return output
    .split('\n')
    .map((line) => line.replace(/,$/, '').trim())
    .filter((line) => line !== '' && line !== 'N/A')
    .map(Number)
    .sort((a, b) => a - b);
}

/** ffprobe's view of one file: format and streams. */
export function probeJson(path: string): { format: { duration?: string; format_name?: string }; streams: Record<string, unknown>[] } {
  return JSON.parse(
    execFileSync(binaries.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], { encoding: 'utf8' }),
  ) as ReturnType<typeof probeJson>;
}
