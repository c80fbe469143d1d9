import sharp from 'sharp';
import { CorruptImageError, MediaRejectedError, TooManyPixelsError } from './errors.js';
import type { SupportedImageMime } from './sniffMediaType.js';

export interface PreviewLimits {
  maxPixels: number;
  previewLongSidePx: number;
  thumbLongSidePx: number;
  webpQuality: number;
}

export interface RenderedPreview {
  role: 'thumb' | 'preview';
  widthPx: number;
  heightPx: number;
  mime: 'image/webp';
  data: Buffer;
}

export interface RenderedImage {
  /** Source size after EXIF auto-orientation. */
  widthPx: number;
  heightPx: number;
  previews: RenderedPreview[];
}

/**
 * Decodes the source once (auto-oriented, sRGB, 8-bit, at most preview size;
 * JPEG shrink-on-load keeps a 12 MP decode cheap) and derives every preview
 * from those pixels.
 */
export async function renderImagePreviews(
  bytes: Uint8Array,
  mime: SupportedImageMime,
  limits: PreviewLimits,
): Promise<RenderedImage> {
  const { widthPx, heightPx } = await readOrientedSize(bytes, mime, limits.maxPixels);
  const decoded = await decodeOrReject(mime, limits.maxPixels, () =>
    sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning' })
      .rotate()
      .resize({ width: limits.previewLongSidePx, height: limits.previewLongSidePx, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  const raw = { raw: { width: decoded.info.width, height: decoded.info.height, channels: decoded.info.channels } };
  const [preview, thumb] = await Promise.all([
    sharp(decoded.data, raw).webp({ quality: limits.webpQuality }).toBuffer({ resolveWithObject: true }),
    sharp(decoded.data, raw)
      .resize({ width: limits.thumbLongSidePx, height: limits.thumbLongSidePx, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: limits.webpQuality })
      .toBuffer({ resolveWithObject: true }),
  ]);
  return {
    widthPx,
    heightPx,
    previews: [
      { role: 'thumb', widthPx: thumb.info.width, heightPx: thumb.info.height, mime: 'image/webp', data: thumb.data },
      { role: 'preview', widthPx: preview.info.width, heightPx: preview.info.height, mime: 'image/webp', data: preview.data },
    ],
  };
}

/** Reads only the header, so a decompression bomb is refused before any pixel is decoded. */
async function readOrientedSize(bytes: Uint8Array, mime: string, maxPixels: number) {
  // Header only: sharp's own limit is lifted here so the error can name the size.
  const metadata = await decodeOrReject(mime, maxPixels, () => sharp(bytes, { limitInputPixels: false }).metadata());
  const { width, height } = metadata.autoOrient ?? metadata;
  if (!width || !height) throw new CorruptImageError('corrupt', mime, 'the header carries no image size');
  if (width * height > maxPixels) throw new TooManyPixelsError(width, height, maxPixels);
  return { widthPx: width, heightPx: height };
}

async function decodeOrReject<T>(mime: string, maxPixels: number, decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof MediaRejectedError || !(error instanceof Error)) throw error;
    throw classifyDecoderError(mime, maxPixels, error.message);
  }
}

function classifyDecoderError(mime: string, maxPixels: number, decoderMessage: string): MediaRejectedError {
  const firstLine = decoderMessage.split('\n')[0]?.trim() ?? decoderMessage;
  if (/pixel limit/i.test(firstLine)) return new TooManyPixelsError(undefined, undefined, maxPixels);
  if (/premature end|truncat|unexpected end|end of (file|stream|data)|not enough data/i.test(decoderMessage)) {
    return new CorruptImageError('truncated', mime, firstLine);
  }
  return new CorruptImageError('corrupt', mime, firstLine);
}
