import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  CorruptImageError,
  renderImagePreviews,
  sniffMediaType,
  TooManyPixelsError,
  UnsupportedTypeError,
} from '../../../../functions/domain/media/index.js';
import { makeJpeg, makePng } from '../../../helpers/testImages.js';

const limits = pipelineConfig.image;

/** Rewrites a PNG's IHDR size (and CRC): a tiny file that claims enormous dimensions. */
function withClaimedSize(png: Buffer, widthPx: number, heightPx: number): Buffer {
  const bomb = Buffer.from(png);
  bomb.writeUInt32BE(widthPx, 16);
  bomb.writeUInt32BE(heightPx, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)) >>> 0, 29);
  return bomb;
}

describe('sniffMediaType', () => {
  it('trusts bytes, not names', async () => {
    expect(await sniffMediaType(await makePng(10, 10))).toEqual({ kind: 'image', mime: 'image/png' });
    await expect(sniffMediaType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).rejects.toThrow(UnsupportedTypeError);
    await expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).rejects.toThrow(/application\/pdf/);
  });
});

describe('renderImagePreviews', () => {
  it('keeps small sources at their size (never upsamples)', async () => {
    const rendered = await renderImagePreviews(await makeJpeg(300, 200), 'image/jpeg', limits);
    expect(rendered.previews.map((preview) => [preview.role, preview.widthPx, preview.heightPx])).toEqual([
      ['thumb', 300, 200],
      ['preview', 300, 200],
    ]);
  });

  it('converts 16-bit and CMYK sources to 8-bit sRGB previews', async () => {
    const sixteenBit = await sharp(await makePng(64, 48))
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const cmyk = await sharp(await makeJpeg(64, 48))
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp(sixteenBit).metadata()).depth).toBe('ushort');
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    for (const [bytes, mime] of [
      [sixteenBit, 'image/png'],
      [cmyk, 'image/jpeg'],
    ] as const) {
      const preview = (await renderImagePreviews(bytes, mime, limits)).previews[1]!;
      const metadata = await sharp(preview.data).metadata();
      expect(metadata.space).toBe('srgb');
      expect(metadata.depth).toBe('uchar');
    }
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = withClaimedSize(await makePng(8, 8), 60_000, 60_000);
    const error = await renderImagePreviews(bomb, 'image/png', limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TooManyPixelsError);
    expect((error as Error).message).toContain('60000×60000');
  });

  it('names truncation for a cut-off JPEG and corruption for garbage after a valid header', async () => {
    const jpeg = await makeJpeg(800, 600);
    await expect(renderImagePreviews(jpeg.subarray(0, jpeg.length / 3), 'image/jpeg', limits)).rejects.toMatchObject({ code: 'truncated' });
    const png = await makePng(64, 64);
    const garbled = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 0x5a)]);
    const error = await renderImagePreviews(garbled, 'image/png', limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorruptImageError);
  });
});
