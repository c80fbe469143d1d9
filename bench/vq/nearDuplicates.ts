import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { opencvDataPath } from '../realPhotos.js';

export interface CollectionImage {
  name: string;
  bytes: Buffer;
}

/**
 * Every distinct JPEG and PNG of at least minBytes in Debian's opencv-doc
 * (photos, plus figures and screenshots that act as distractors), sorted by
 * path so the set is the same on every machine.
 */
export function loadImageCollection(minBytes = 20_000): CollectionImage[] {
  const root = dirname(dirname(opencvDataPath()));
  const seen = new Set<string>();
  const images: CollectionImage[] = [];
  for (const path of walk(root).sort()) {
    if (!/\.(jpe?g|png)$/i.test(path) || statSync(path).size < minBytes) continue;
    const bytes = readFileSync(path);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    images.push({ name: path.slice(root.length + 1), bytes });
  }
  return images;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export { transformNames, transformedCopy, type TransformName } from '../../tests/helpers/imageTransforms.js';
