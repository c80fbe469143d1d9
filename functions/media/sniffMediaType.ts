import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedTypeError } from './errors.js';

/** Image types sharp decodes from its prebuilt binaries; everything else is rejected by content. */
export const supportedImageMimes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'] as const;
export type SupportedImageMime = (typeof supportedImageMimes)[number];

export interface SniffedMedia {
  kind: 'image';
  mime: SupportedImageMime;
}

function isSupportedImageMime(mime: string): mime is SupportedImageMime {
  return (supportedImageMimes as readonly string[]).includes(mime);
}

/** Decides the type from the bytes alone; the key's extension is never trusted. */
export async function sniffMediaType(bytes: Uint8Array): Promise<SniffedMedia> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected && isSupportedImageMime(detected.mime)) return { kind: 'image', mime: detected.mime };
  throw new UnsupportedTypeError(detected?.mime, supportedImageMimes);
}
