import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { loadRealPhotos, opencvDataPath } from '../realPhotos.js';
import { debianPackageRoot } from './debianPackage.js';
import { imagePackages } from './imagePackages.js';

export interface SourceImage {
  /** `<package>/<path>`. */
  name: string;
  package: string;
  /** JPEG or PNG bytes, long side at most sourceLongSidePx. */
  bytes: Buffer;
}

export interface PhotoSources {
  /** Originals whose transformed copies are searched for; each is indexed once. */
  queries: SourceImage[];
  /** Pictures the distractors are made from: none is a query, a size of one, or another view of one. */
  distractorSources: SourceImage[];
  /** opencv-doc files left out of both sets because they are another frame, view or edit of a query. */
  leftOut: string[];
  /** Pictures kept per package (queries + distractor sources). */
  perPackage: Record<string, number>;
}

/** Wallpapers are shrunk to this long side once (JPEG q92), so that making copies and crops stays cheap. */
const sourceLongSidePx = 1600;
const minBytes = 20_000;
const minSidePx = 200;
/** Every third Debian wallpaper (by name) is held out as a query. */
const debianQueryEvery = 3;

/**
 * opencv-doc files that are another frame, view, format or edit of one of
 * its photos (loadRealPhotos): indexing them beside that photo would make a
 * second right answer, so they are in neither set.
 */
const opencvRelatives: Record<string, readonly string[]> = {
  'aero1.jpg': ['aero3.jpg'],
  'leuvenA.jpg': ['leuvenB.jpg'],
  'aloeL.jpg': ['aloeR.jpg', 'aloeGT.png'],
  'ela_original.jpg': ['ela_modified.jpg'],
  'butterfly.jpg': ['butterfly.png'],
  'home.jpg': ['home.png'],
  'graf1.png': ['graf3.png'],
  'rubberwhale1.png': ['rubberwhale2.png'],
  'basketball1.png': ['basketball2.png'],
};

/**
 * Queries: opencv-doc's colour photos (one per scene) and a held-out third
 * of the Debian wallpapers. Distractor sources: every other image of
 * opencv-doc's examples (photos, figures, screenshots), the other wallpapers and scikit-image's
 * documentation figures. Exact duplicates (same bytes) are dropped.
 */
export async function loadPhotoSources(): Promise<PhotoSources> {
  const seen = new Set<string>();
  const isNew = (bytes: Buffer) => {
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(hash)) return false;
    seen.add(hash);
    return true;
  };
  const queries: SourceImage[] = [];
  const distractorSources: SourceImage[] = [];
  const perPackage: Record<string, number> = {};
  const keep = (list: SourceImage[], image: SourceImage) => {
    list.push(image);
    perPackage[image.package] = (perPackage[image.package] ?? 0) + 1;
  };

  // opencv-doc's examples (not its HTML manual, whose figures are often drawn over these very photos).
  const photoNames = new Set(loadRealPhotos().map((photo) => photo.name));
  const leftOut = new Set(Object.entries(opencvRelatives).flatMap(([photo, relatives]) => (photoNames.has(photo) ? relatives : [])));
  const opencvRoot = dirname(opencvDataPath());
  for (const path of imageFiles(opencvRoot)) {
    const file = path.replace(/^.*\//, '');
    const bytes = readFileSync(path);
    if (leftOut.has(file) || !isNew(bytes)) continue;
    const image = { name: `opencv-doc/${path.slice(opencvRoot.length + 1)}`, package: 'opencv-doc', bytes };
    keep(photoNames.has(file) && path.startsWith(opencvDataPath()) ? queries : distractorSources, image);
  }

  // The Debian wallpaper and figure packages: the largest file of each picture.
  for (const pkg of imagePackages) {
    const root = join(debianPackageRoot(pkg.name), pkg.imagesUnder);
    const largest = new Map<string, string>();
    for (const path of imageFiles(root)) {
      const key = pkg.pictureKey(path.slice(root.length + 1));
      const current = largest.get(key);
      if (!current || statSync(path).size > statSync(current).size) largest.set(key, path);
    }
    const keys = [...largest.keys()].sort();
    for (const [i, key] of keys.entries()) {
      const bytes = readFileSync(largest.get(key)!);
      if (!isNew(bytes)) continue;
      const { width = 0, height = 0 } = await sharp(bytes).metadata();
      if (Math.min(width, height) < minSidePx) continue;
      const image = { name: `${pkg.name}/${key}`, package: pkg.name, bytes: await shrunk(bytes, width, height) };
      keep(pkg.mayBeQueries && i % debianQueryEvery === 1 ? queries : distractorSources, image);
    }
  }
  return { queries, distractorSources, leftOut: [...leftOut].sort(), perPackage };
}

/** JPEG, PNG and WebP files of at least minBytes under a folder, sorted by path (the same set on every machine). */
function imageFiles(root: string): string[] {
  return walk(root)
    .filter((path) => /\.(jpe?g|png|webp)$/i.test(path) && statSync(path).size >= minBytes)
    .sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

async function shrunk(bytes: Buffer, width: number, height: number): Promise<Buffer> {
  if (Math.max(width, height) <= sourceLongSidePx) return bytes;
  return sharp(bytes)
    .rotate()
    .resize(sourceLongSidePx, sourceLongSidePx, { fit: 'inside', kernel: 'lanczos3' })
    .removeAlpha()
    .jpeg({ quality: 92 })
    .toBuffer();
}
