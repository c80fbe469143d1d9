import sharp from 'sharp';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { createPrng } from '../../functions/domain/vq/index.js';
import { decompressionBombPng, lyingHeaderPng, textNamedJpg } from '../../tests/helpers/hostileFiles.js';
import { loadRealPhotos } from '../realPhotos.js';

/** Each (photo, width) pair again at these qualities; 85 first, as the 1000-upload figures were made. */
const jpegQualities = [85, 80, 90];

export interface BenchUpload {
  key: string;
  bytes: Buffer;
  /** A file that must end as an error record, never an item. */
  poison: boolean;
}

/**
 * `count` uploads in a seeded order: real photographs from opencv-doc, each
 * re-encoded at its own small width and quality so every one is a distinct item (and
 * quick to ingest), and `poisonFraction` of bad files: truncated photos,
 * empty files, text named .jpg, decompression bombs and lying PNG headers.
 */
export async function buildUploadSet(count: number, poisonFraction: number, seed: number): Promise<BenchUpload[]> {
  const photos = loadRealPhotos();
  if (photos.length === 0) throw new Error('no real photos found in opencv-doc');
  const poisonCount = Math.round(count * poisonFraction);
  const goodCount = count - poisonCount;
  // Widths 200..296 with 22 photos (97 is prime to 22): each (photo, width) pair once per 2134 uploads, then again
  // at another JPEG quality, so the bytes differ for up to 6402 good files (checked below).
  const pairs = photos.length * 97;
  if (goodCount > pairs * jpegQualities.length) throw new Error(`at most ${pairs * jpegQualities.length} distinct good files`);
  const good = await Promise.all(
    Array.from({ length: goodCount }, async (_, index): Promise<BenchUpload> => {
      const photo = photos[index % photos.length]!;
      const widthPx = 200 + (index % 97);
      const quality = jpegQualities[Math.floor(index / pairs)]!;
      const bytes = await sharp(photo.bytes).resize({ width: widthPx }).jpeg({ quality }).toBuffer();
      return {
        key: `uploads/bench/${String(index).padStart(4, '0')} ${photo.name.replace(/\.\w+$/, '')} w${widthPx} q${quality}.jpg`,
        bytes,
        poison: false,
      };
    }),
  );
  const distinct = new Set(good.map((upload) => itemIdForContent(upload.bytes))).size;
  if (distinct !== good.length) throw new Error(`${good.length - distinct} good files repeat another's bytes`);
  const bomb = decompressionBombPng();
  const liar = lyingHeaderPng();
  const poisonMakers: ((index: number) => Buffer)[] = [
    (index) => good[index % good.length]!.bytes.subarray(0, Math.floor(good[index % good.length]!.bytes.length * 0.6)),
    () => Buffer.alloc(0),
    () => textNamedJpg(),
    () => bomb,
    () => liar,
  ];
  const poison = Array.from({ length: poisonCount }, (_, index): BenchUpload => ({
    key: `uploads/bench/poison ${String(index).padStart(3, '0')}.jpg`,
    bytes: poisonMakers[index % poisonMakers.length]!(index),
    poison: true,
  }));
  // Seeded shuffle: poison spread through the run, the same order every time.
  const all = [...good, ...poison];
  const prng = createPrng(seed);
  for (let index = all.length - 1; index > 0; index -= 1) {
    const other = prng.nextInt(index + 1);
    [all[index], all[other]] = [all[other]!, all[index]!];
  }
  return all;
}
