import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { makeJpeg } from './testImages.js';

/**
 * Hostile uploads, generated (nothing large is committed): each is small on
 * disk and aims at one weakness of a media pipeline.
 */

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, checksum]);
}

/** A PNG from its header fields and already-compressed image data. */
function png(widthPx: number, heightPx: number, bitDepth: number, colourType: number, compressedRows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(widthPx, 0);
  header.writeUInt32BE(heightPx, 4);
  header[8] = bitDepth;
  header[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', compressedRows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real, fully decodable 1-bit PNG of sidePx² black pixels: ~50 KB that decode to gigabytes as RGBA. */
export function decompressionBombPng(sidePx = 20_000): Buffer {
  const rowBytes = 1 + Math.ceil(sidePx / 8);
  return png(sidePx, sidePx, 1, 0, deflateSync(Buffer.alloc(rowBytes * sidePx), { level: 9 }));
}

/** A PNG whose header claims sidePx² RGBA pixels and whose data holds almost nothing. */
export function lyingHeaderPng(sidePx = 1_000_000): Buffer {
  return png(sidePx, sidePx, 8, 6, deflateSync(Buffer.alloc(64)));
}

export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await makeJpeg(800, 600, '#2080c0');
  return whole.subarray(0, Math.floor(whole.length / 2));
}

export const textNamedJpg = (): Buffer => Buffer.from('Dear diary, this is not a photo.\n'.repeat(20));

/** SVG that would fetch `entityUrl` if its external entity were resolved, reference an external image, and run a script. */
export function svgWithExternalEntityAndScript(entityUrl: string): Buffer {
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "${entityUrl}/entity">]>\n` +
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">` +
      `<script type="text/javascript">fetch('${entityUrl}/script')</script>` +
      `<image x="0" y="0" width="50" height="50" xlink:href="${entityUrl}/image.png"/>` +
      `<text x="10" y="80">&secret;</text></svg>`,
  );
}

/** The markup a polyglot carries; no derived file may contain it. */
export const polyglotPayload = '<html><body><script>alert(document.cookie)</script></body></html>';

/** A valid JPEG that is also an HTML page: the payload in a comment segment and again after the image's end. */
export async function jpegHtmlPolyglot(): Promise<Buffer> {
  const jpeg = await makeJpeg(320, 240, '#a04080');
  const comment = Buffer.from(polyglotPayload, 'latin1');
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]), comment]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2), comment]);
}

/** An animated GIF of `frames` frames, alternating black and white so no encoder can merge them. */
export function manyFrameGif(frames = 5000, sidePx = 32): Promise<Buffer> {
  const frameBytes = sidePx * sidePx * 3;
  const pixels = Buffer.alloc(frameBytes * frames);
  for (let frame = 0; frame < frames; frame += 1) pixels.fill(frame % 2 ? 255 : 0, frame * frameBytes, (frame + 1) * frameBytes);
  return sharp(pixels, { raw: { width: sidePx, height: sidePx * frames, channels: 3, pageHeight: sidePx } })
    .gif({ effort: 1, dither: 0 })
    .toBuffer();
}

export const onePixelWidePng = (heightPx = 100_000): Promise<Buffer> =>
  sharp({ create: { width: 1, height: heightPx, channels: 3, background: '#c04020' } })
    .png()
    .toBuffer();

/** Solid colour as CMYK JPEG or 16-bit PNG: the previews must come out sRGB, 8-bit, the same colour. */
export const cmykJpeg = (colour: string): Promise<Buffer> =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: colour } })
    .toColourspace('cmyk')
    .jpeg({ quality: 95 })
    .toBuffer();
export const sixteenBitPng = (colour: string): Promise<Buffer> =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: colour } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();

/** Marker colours at the stored image's top-left and top-right corners. */
export const orientationMarkers = { topLeft: [255, 0, 0], topRight: [0, 0, 255] } as const;

/**
 * A 300×200 JPEG, red square at its stored top-left and blue at its stored
 * top-right, tagged with EXIF orientation 1–8.
 */
export async function orientedJpeg(orientation: number): Promise<Buffer> {
  const square = (colour: readonly number[]) =>
    sharp({ create: { width: 60, height: 60, channels: 3, background: { r: colour[0]!, g: colour[1]!, b: colour[2]! } } })
      .png()
      .toBuffer();
  return sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } })
    .composite([
      { input: await square(orientationMarkers.topLeft), left: 0, top: 0 },
      { input: await square(orientationMarkers.topRight), left: 240, top: 0 },
    ])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation })
    .toBuffer();
}

type Corner = 'topLeft' | 'topRight' | 'bottomLeft' | 'bottomRight';

/**
 * Where the stored top-left and top-right corners are seen once the image is
 * shown upright, for each EXIF orientation (TIFF/EXIF: which visual side the
 * 0th row and the 0th column are).
 */
export const displayedCorners: Record<number, { topLeft: Corner; topRight: Corner }> = {
  1: { topLeft: 'topLeft', topRight: 'topRight' },
  2: { topLeft: 'topRight', topRight: 'topLeft' },
  3: { topLeft: 'bottomRight', topRight: 'bottomLeft' },
  4: { topLeft: 'bottomLeft', topRight: 'bottomRight' },
  5: { topLeft: 'topLeft', topRight: 'bottomLeft' },
  6: { topLeft: 'topRight', topRight: 'bottomRight' },
  7: { topLeft: 'bottomRight', topRight: 'topRight' },
  8: { topLeft: 'bottomLeft', topRight: 'topLeft' },
};
