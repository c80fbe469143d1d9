import { describe, expect, it } from 'vitest';
import { Codebook, InvalidVqParameterError, trainCodebook } from '../../../../functions/domain/vq/index.js';
import { clusteredVectors } from '../../../helpers/vectorSets.js';

function matrix(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.length * vectors[0]!.length);
  vectors.forEach((v, i) => out.set(v, i * v.length));
  return out;
}

describe('trainCodebook and Codebook', () => {
  const { vectors, labels } = clusteredVectors({ count: 800, dimension: 16, clusters: 4, seed: 21, spread: 0.15 });
  const data = matrix(vectors);

  it('recovers well-separated clusters: each true cluster maps to one centroid', () => {
    const codebook = trainCodebook(data, vectors.length, 16, 4, { seed: 1, iterations: 10 });
    expect(codebook.k).toBe(4);
    const byLabel = new Map<number, Set<number>>();
    vectors.forEach((v, i) => {
      const set = byLabel.get(labels[i]!) ?? new Set();
      set.add(codebook.assign(v));
      byLabel.set(labels[i]!, set);
    });
    expect([...byLabel.values()].map((set) => set.size)).toEqual([1, 1, 1, 1]);
    for (let c = 0; c < 4; c += 1) expect(Math.hypot(...codebook.centroids.subarray(c * 16, (c + 1) * 16))).toBeCloseTo(1, 5);
  });

  it('is deterministic for a seed and probes centroids best first', () => {
    const a = trainCodebook(data, vectors.length, 16, 6, { seed: 3, maxTrainingRows: 400 });
    const b = trainCodebook(data, vectors.length, 16, 6, { seed: 3, maxTrainingRows: 400 });
    expect(a.centroids).toEqual(b.centroids);
    const out = new Int32Array(6);
    const scores = new Float32Array(6);
    expect(a.probe(vectors[0]!, 6, scores, out)).toBe(6);
    for (let i = 1; i < 6; i += 1) expect(scores[out[i - 1]!]).toBeGreaterThanOrEqual(scores[out[i]!]!);
    expect(out[0]).toBe(a.assign(vectors[0]!));
  });

  it('grows past its initial capacity and rejects impossible k', () => {
    const codebook = new Codebook(2, 1);
    for (let i = 0; i < 5; i += 1) codebook.add(new Float32Array([i, 1]));
    expect(codebook.k).toBe(5);
    expect(Array.from(codebook.centroids.subarray(8, 10))).toEqual([4, 1]);
    expect(() => trainCodebook(data, 3, 16, 4, { seed: 1 })).toThrow(InvalidVqParameterError);
  });
});
