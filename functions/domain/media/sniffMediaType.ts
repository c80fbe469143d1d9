import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedTypeError } from './errors.js';

/** Image types sharp decodes from its prebuilt binaries; everything else is rejected by content. */
export const supportedImageMimes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'] as const;
export type SupportedImageMime = (typeof supportedImageMimes)[number];

/** Video containers the video function reads, each with an allowlisted ffmpeg demuxer (functions/domain/video). */
export const supportedVideoMimes = [
  'video/mp4',
  'video/quicktime',
  'video/x-m4v',
  'video/3gpp',
  'video/webm',
  'video/matroska',
  'video/vnd.avi',
] as const;
export type SupportedVideoMime = (typeof supportedVideoMimes)[number];

export type SniffedMedia = { kind: 'image'; mime: SupportedImageMime } | { kind: 'video'; mime: SupportedVideoMime };

function isOneOf<T extends string>(list: readonly T[], mime: string): mime is T {
  return (list as readonly string[]).includes(mime);
}

/**
 * Decides the type from the bytes alone (the first few kilobytes suffice); the
 * key's extension is never trusted.
 */
export async function sniffMediaType(bytes: Uint8Array): Promise<SniffedMedia> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && isOneOf(supportedImageMimes, detected.mime)) return { kind: 'image', mime: detected.mime };
  if (detected && isOneOf(supportedVideoMimes, detected.mime)) return { kind: 'video', mime: detected.mime };
  throw new UnsupportedTypeError(detected?.mime, [...supportedImageMimes, ...supportedVideoMimes]);
}
