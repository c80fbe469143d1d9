import { scoreRows } from '../../functions/domain/vq/dotProducts.js';
import { TopK } from '../../functions/domain/vq/topK.js';

/** Exact top-k by inner product over rows 0..count-1: the ground truth. Returns row numbers, best first. */
export function exactTopK(
  vectors: Float32Array,
  count: number,
  dimension: number,
  query: Float32Array,
  k: number,
  scratch?: Float32Array,
): Int32Array {
  const scores = scratch && scratch.length >= count ? scratch : new Float32Array(count);
  scoreRows(query, vectors, count, dimension, scores);
  const heap = new TopK(k);
  for (let i = 0; i < count; i += 1) if (scores[i]! > heap.threshold) heap.push(scores[i]!, i);
  return Int32Array.from(heap.sorted(), (hit) => hit.id);
}

/** Mean fraction of each truth row's ids found in the matching result. */
export function recallAtK(truth: readonly Int32Array[], found: readonly ArrayLike<number>[], k: number): number {
  let hits = 0;
  for (let q = 0; q < truth.length; q += 1) {
    const expected = new Set(Array.from(truth[q]!.subarray(0, k)));
    const got = found[q]!;
    for (let i = 0; i < Math.min(k, got.length); i += 1) if (expected.has(got[i]!)) hits += 1;
  }
  return hits / (truth.length * k);
}
