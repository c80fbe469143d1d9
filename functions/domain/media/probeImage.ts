import sharp from 'sharp';
import { decodeOrReject } from './decodeOrReject.js';
import { CorruptImageError, TooManyPixelsError } from './errors.js';
import type { SupportedImageMime } from './sniffMediaType.js';

export interface ImageProbe {
  /** Size after EXIF auto-orientation. */
  widthPx: number;
  heightPx: number;
  /** The XMP packet (e.g. Photo Sphere GPano fields), if any. */
  xmp?: string;
}

/** Reads only the header, so a decompression bomb is refused before any pixel is decoded. */
export async function probeImage(bytes: Uint8Array, mime: SupportedImageMime, maxPixels: number): Promise<ImageProbe> {
  // Header only: sharp's own limit is lifted here so the error can name the size.
  const metadata = await decodeOrReject(mime, maxPixels, () => sharp(bytes, { limitInputPixels: false }).metadata());
  const { width, height } = metadata.autoOrient ?? metadata;
  if (!width || !height) throw new CorruptImageError('corrupt', mime, 'the header carries no image size');
  if (width * height > maxPixels) throw new TooManyPixelsError(width, height, maxPixels);
  const xmp = metadata.xmpAsString ?? metadata.xmp?.toString('utf8');
  return { widthPx: width, heightPx: height, ...(xmp ? { xmp } : {}) };
}
