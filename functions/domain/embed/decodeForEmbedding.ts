import sharp, { type Sharp } from 'sharp';
import type { ImageInput, RawPixels } from './types.js';

export interface DecodedForEmbedding {
  /** 3-channel sRGB at exactly the requested size. */
  pixels: RawPixels;
  /** Width over height of the source after EXIF orientation. */
  sourceAspect: number;
}

/**
 * One sharp pass from the input to 3-channel sRGB pixels at a fixed size:
 * 'fill' stretches, 'cover' resizes the short side and centre-crops. Bytes are
 * auto-oriented first (JPEG shrink-on-load keeps a 12 MP decode cheap); pixels
 * a caller already decoded are only resized.
 */
export async function decodeForEmbedding(
  input: ImageInput,
  widthPx: number,
  heightPx: number,
  fit: 'fill' | 'cover' = 'fill',
): Promise<DecodedForEmbedding> {
  let pipeline: Sharp;
  let sourceAspect: number;
  if ('pixels' in input) {
    const { data, widthPx: w, heightPx: h, channels } = input.pixels;
    pipeline = sharp(data, { raw: { width: w, height: h, channels } });
    sourceAspect = w / h;
  } else {
    pipeline = sharp(input.bytes, { failOn: 'error' }).rotate();
    const meta = await sharp(input.bytes).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    const w = meta.width ?? 1;
    const h = meta.height ?? 1;
    sourceAspect = rotated ? h / w : w / h;
  }
  const { data, info } = await pipeline
    .resize(widthPx, heightPx, { fit, position: 'centre', kernel: 'cubic' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const rgb = info.channels === 3 ? data : expandToRgb(data, info.channels, info.width * info.height);
  return { pixels: { data: rgb, widthPx: info.width, heightPx: info.height, channels: 3 }, sourceAspect };
}

function expandToRgb(data: Uint8Array, channels: number, pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p += 1) {
    const v = data[p * channels]!;
    rgb[p * 3] = v;
    rgb[p * 3 + 1] = channels >= 3 ? data[p * channels + 1]! : v;
    rgb[p * 3 + 2] = channels >= 3 ? data[p * channels + 2]! : v;
  }
  return rgb;
}
