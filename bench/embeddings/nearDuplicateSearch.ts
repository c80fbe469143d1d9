import { exactTopK } from '../vq/bruteForce.js';
import type { EmbeddedSet } from './embedSet.js';

export interface CopyOf {
  /** Row of the original among the indexed rows. */
  original: number;
  transform: string;
  /** The Debian package the original came from (the default embedder's weights were chosen on opencv-doc's images). */
  source: string;
}

export interface NearDuplicateFigures {
  originals: number;
  distractors: number;
  copies: number;
  /** Fraction of copies whose original ranks first / within the top 10. */
  top1: number;
  top10: number;
  perTransform: Record<string, { copies: number; top1: number; top10: number; top1Misses: number }>;
  /** Top-1 by the package the query's original came from. */
  top1BySource: Record<string, { copies: number; top1: number }>;
}

/**
 * Exact inner-product search of every copy against the originals (rows
 * 0..originals-1 of `indexed`) and the first `distractors` distractors after
 * them: the figure is the embedder's, not an index's.
 */
export function searchNearDuplicates(
  indexed: EmbeddedSet,
  originals: number,
  distractors: number,
  copies: EmbeddedSet,
  copyOf: readonly CopyOf[],
): NearDuplicateFigures {
  const rows = originals + distractors;
  if (rows > indexed.count) throw new Error(`${rows} rows asked for, ${indexed.count} embedded`);
  const scratch = new Float32Array(rows);
  const perTransform: NearDuplicateFigures['perTransform'] = {};
  let top1 = 0;
  let top10 = 0;
  const top1BySource: NearDuplicateFigures['top1BySource'] = {};
  for (const [c, { original, transform, source }] of copyOf.entries()) {
    const query = copies.vectors.subarray(c * copies.dimension, (c + 1) * copies.dimension);
    const hits = exactTopK(indexed.vectors, rows, indexed.dimension, query, 10, scratch);
    const figures = (perTransform[transform] ??= { copies: 0, top1: 0, top10: 0, top1Misses: 0 });
    figures.copies += 1;
    const bySource = (top1BySource[source] ??= { copies: 0, top1: 0 });
    bySource.copies += 1;
    if (hits[0] === original) {
      figures.top1 += 1;
      bySource.top1 += 1;
    } else figures.top1Misses += 1;
    if (hits.includes(original)) figures.top10 += 1;
  }
  for (const figures of Object.values(perTransform)) {
    top1 += figures.top1;
    top10 += figures.top10;
    figures.top1 /= figures.copies;
    figures.top10 /= figures.copies;
  }
  for (const figures of Object.values(top1BySource)) figures.top1 /= figures.copies;
  return {
    originals,
    distractors,
    copies: copyOf.length,
    top1: top1 / copyOf.length,
    top10: top10 / copyOf.length,
    perTransform,
    top1BySource,
  };
}
