import { exactTopK } from '../vq/bruteForce.js';

export interface LabelledVectors {
  dimension: number;
  /** Row-major, each row L2-normalised. */
  vectors: Float32Array;
  labels: Uint8Array;
}

/**
 * Class precision@10: for each of the first `queries` query rows, the
 * fraction of its 10 exact nearest neighbours (inner product) among the
 * first `indexed` index rows that share its class; the mean over queries.
 */
export function classPrecisionAt10(index: LabelledVectors, indexed: number, queries: LabelledVectors, queryCount: number): number {
  const k = 10;
  const scratch = new Float32Array(indexed);
  let sameClass = 0;
  for (let q = 0; q < queryCount; q += 1) {
    const query = queries.vectors.subarray(q * queries.dimension, (q + 1) * queries.dimension);
    for (const hit of exactTopK(index.vectors, indexed, index.dimension, query, k, scratch)) {
      if (index.labels[hit] === queries.labels[q]) sameClass += 1;
    }
  }
  return sameClass / (queryCount * k);
}
