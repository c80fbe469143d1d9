import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { computeDefaultEmbedding, createDefaultEmbedder, decodeForEmbedding } from '../../functions/domain/embed/index.js';
import { StreamingVqIndex } from '../../functions/domain/vq/index.js';
import { transformedCopy, transformNames } from '../../tests/helpers/imageTransforms.js';
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

export { transformedCopy } from '../../tests/helpers/imageTransforms.js';

export interface NearDuplicateFigures {
  images: number;
  copies: number;
  top1: number;
  top10: number;
  /** Top-1 misses by transform. */
  misses: Record<string, number>;
  describeMsP50: number;
}

/**
 * Real photos (Debian opencv-doc) embedded by the default embedder into a
 * streaming index; every JPEG's transformed copies are searched for the original.
 */
export async function measureNearDuplicates(seed: number): Promise<NearDuplicateFigures> {
  const embedder = createDefaultEmbedder();
  const images = loadImageCollection();
  const index = StreamingVqIndex.create({ dimension: embedder.dimension, seed, targetClusterSize: 16 });
  const describeMs: number[] = [];
  for (const [i, image] of images.entries()) {
    const { pixels, sourceAspect } = await decodeForEmbedding({ bytes: image.bytes }, 64, 64);
    const start = performance.now();
    const vector = computeDefaultEmbedding(pixels, sourceAspect);
    describeMs.push(performance.now() - start);
    index.insert(String(i), vector);
  }
  index.update();
  const nprobe = Math.max(1, Math.ceil(index.clusterCount * 0.25));
  let top1 = 0;
  let top10 = 0;
  let copies = 0;
  const misses: Record<string, number> = {};
  for (const [i, image] of images.entries()) {
    if (!/\.jpe?g$/i.test(image.name)) continue;
    for (const transform of transformNames) {
      const vector = await embedder.embed({ bytes: await transformedCopy(image.bytes, transform) });
      const hits = index.search(vector, { k: 10, nprobe }).map((hit) => Number(hit.id));
      copies += 1;
      if (hits[0] === i) top1 += 1;
      else misses[transform] = (misses[transform] ?? 0) + 1;
      if (hits.includes(i)) top10 += 1;
    }
  }
  describeMs.sort((a, b) => a - b);
  return {
    images: images.length,
    copies,
    top1: top1 / copies,
    top10: top10 / copies,
    misses,
    describeMsP50: describeMs[describeMs.length >> 1]!,
  };
}
