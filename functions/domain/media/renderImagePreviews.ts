import sharp from 'sharp';
import { decodeOrReject } from './decodeOrReject.js';
import { probeImage } from './probeImage.js';
import type { SupportedImageMime } from './sniffMediaType.js';

export interface PreviewLimits {
  maxPixels: number;
  previewLongSidePx: number;
  thumbLongSidePx: number;
  webpQuality: number;
  webpEffort: number;
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
export async function renderImagePreviews(bytes: Uint8Array, mime: SupportedImageMime, limits: PreviewLimits): Promise<RenderedImage> {
  const { widthPx, heightPx } = await probeImage(bytes, mime, limits.maxPixels);
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
    sharp(decoded.data, raw).webp({ quality: limits.webpQuality, effort: limits.webpEffort }).toBuffer({ resolveWithObject: true }),
    sharp(decoded.data, raw)
      .resize({ width: limits.thumbLongSidePx, height: limits.thumbLongSidePx, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: limits.webpQuality, effort: limits.webpEffort })
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
