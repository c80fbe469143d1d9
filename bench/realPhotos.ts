import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

/** Real photos from Debian's opencv-doc package, fetched into bench/.media (git-ignored) on first use. */
const mediaDir = resolve('bench/.media');
const opencvDataDir = join(mediaDir, 'opencv-doc/usr/share/doc/opencv-doc/examples/data');

export interface RealPhoto {
  name: string;
  bytes: Buffer;
}

export function opencvDataPath(): string {
  if (!existsSync(opencvDataDir)) {
    mkdirSync(mediaDir, { recursive: true });
    console.error('fetching real photos: apt-get download opencv-doc (once)');
    execFileSync('apt-get', ['download', 'opencv-doc'], { cwd: mediaDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const deb = readdirSync(mediaDir).find((name) => name.startsWith('opencv-doc_') && name.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download opencv-doc produced no .deb');
    execFileSync('dpkg', ['-x', join(mediaDir, deb), join(mediaDir, 'opencv-doc')]);
  }
  return opencvDataDir;
}

/** Colour photographs (not charts, masks or calibration boards), largest first. */
export function loadRealPhotos(): RealPhoto[] {
  const dataDir = opencvDataPath();
  const photos = [
    'baboon.jpg',
    'fruits.jpg',
    'lena.jpg',
    'starry_night.jpg',
    'building.jpg',
    'butterfly.jpg',
    'messi5.jpg',
    'orange.jpg',
    'apple.jpg',
    'home.jpg',
    'squirrel_cls.jpg',
    'aero1.jpg',
    'aero3.jpg',
    'leuvenA.jpg',
    'leuvenB.jpg',
    'aloeL.jpg',
    'aloeR.jpg',
    'ela_original.jpg',
    'graf1.png',
    'rubberwhale1.png',
    'basketball1.png',
    'smarties.png',
  ];
  return photos.filter((name) => existsSync(join(dataDir, name))).map((name) => ({ name, bytes: readFileSync(join(dataDir, name)) }));
}

/** The size phones take photos at; the benchmarks upscale opencv-doc's photos to it. */
export const twelveMegapixels = { widthPx: 4000, heightPx: 3000 } as const;

/** opencv-doc's JPEG photos upscaled to 12 MP; each variant's bytes (so its items) are new. */
export async function makeTwelveMegapixelJpegs(variant: number): Promise<RealPhoto[]> {
  return Promise.all(
    loadRealPhotos()
      .filter((photo) => photo.name.endsWith('.jpg'))
      .map(async (photo) => ({
        name: `${photo.name.replace(/\.jpg$/, '')}-12mp-${variant}.jpg`,
        // A one-pixel-row tweak per variant makes each round's bytes (and item) new.
        bytes: await sharp(photo.bytes)
          .resize(twelveMegapixels.widthPx, twelveMegapixels.heightPx, { fit: 'fill', kernel: 'lanczos3' })
          .extend({ bottom: variant, extendWith: 'copy' })
          .jpeg({ quality: 90 })
          .toBuffer(),
      })),
  );
}

/**
 * A large image from many real photos: a cols × rows grid, each cell one photo
 * (cover-fitted, lanczos3), starting `offset` photos into the list; raw PNG.
 */
export async function photoMosaic(
  photos: RealPhoto[],
  widthPx: number,
  heightPx: number,
  cols: number,
  rows: number,
  offset: number,
): Promise<Buffer> {
  const cellWidth = Math.floor(widthPx / cols);
  const cellHeight = Math.floor(heightPx / rows);
  const cells = await Promise.all(
    Array.from({ length: cols * rows }, async (_, index) => {
      const photo = photos[(offset + index) % photos.length]!;
      const col = index % cols;
      const row = Math.floor(index / cols);
      const width = col === cols - 1 ? widthPx - col * cellWidth : cellWidth;
      const height = row === rows - 1 ? heightPx - row * cellHeight : cellHeight;
      const input = await sharp(photo.bytes).removeAlpha().resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).toBuffer();
      return { input, left: col * cellWidth, top: row * cellHeight };
    }),
  );
  return sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: '#000' } })
    .composite(cells)
    .png({ compressionLevel: 0 })
    .toBuffer();
}
