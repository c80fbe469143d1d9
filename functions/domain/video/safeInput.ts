import type { SupportedVideoMime } from '../media/index.js';

/** The only demuxers ffmpeg may use, by sniffed type. Never hls, concat, image2 or anything that opens other files. */
export const demuxerByMime = {
  'video/mp4': 'mov',
  'video/quicktime': 'mov',
  'video/x-m4v': 'mov',
  'video/3gpp': 'mov',
  'video/webm': 'matroska',
  'video/matroska': 'matroska',
  'video/vnd.avi': 'avi',
} as const satisfies Record<SupportedVideoMime, string>;

export type VideoDemuxer = (typeof demuxerByMime)[SupportedVideoMime];

/** A local video file and the demuxer its sniffed bytes allow. */
export interface VideoInput {
  path: string;
  demuxer: VideoDemuxer;
}

/**
 * ffmpeg/ffprobe input options that keep a hostile file inside itself: the
 * demuxer is forced (so a playlist or concat list is never interpreted as
 * one), only the file protocol is allowed (no http, no other schemes a nested
 * reference could name), QuickTime external data references stay off, and
 * the path is given as a file: URL so a name with a colon is not a protocol.
 */
export function safeInputArgs(input: VideoInput): string[] {
  return [
    '-protocol_whitelist',
    'file',
    '-f',
    input.demuxer,
    ...(input.demuxer === 'mov' ? ['-enable_drefs', '0'] : []),
    '-i',
    `file:${input.path}`,
  ];
}
