import { createPrng } from '../../functions/domain/vq/index.js';

/** A seeded set of unit vectors around `clusters` random centres; rows come cluster by cluster when `ordered`. */
export function clusteredVectors(options: {
  count: number;
  dimension: number;
  clusters: number;
  seed: number;
  spread?: number;
  ordered?: boolean;
}): {
  vectors: Float32Array[];
  labels: number[];
} {
  const { count, dimension, clusters, seed } = options;
  const spread = options.spread ?? 0.6;
  const prng = createPrng(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dimension }, () => prng.nextGaussian()));
  const labels = Array.from({ length: count }, () => prng.nextInt(clusters));
  if (options.ordered) labels.sort((a, b) => a - b);
  const vectors = labels.map((label) => {
    const centre = centres[label]!;
    const v = Float32Array.from({ length: dimension }, (_, d) => centre[d]! + spread * prng.nextGaussian());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  return { vectors, labels };
}

/** Exact top-k ids by inner product over a map of live vectors. */
export function bruteForce(live: Map<string, Float32Array>, query: Float32Array, k: number): string[] {
  const scored = [...live].map(([id, v]) => ({ id, score: v.reduce((s, x, d) => s + x * query[d]!, 0) }));
  return scored
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, k)
    .map((hit) => hit.id);
}

export function recall(expected: string[], found: string[]): number {
  const want = new Set(expected);
  return found.filter((id) => want.has(id)).length / expected.length;
}
