import { describe, expect, it } from 'vitest';
import { BlockScorer, MemoryPostings, searchLists, trainCodebook } from '../../../../functions/domain/vq/index.js';
import { clusteredVectors } from '../../../helpers/vectorSets.js';

/** A small IVF (k-means codebook, lists with codes) searched by the scan of codes + exact re-rank, against exact answers. */
function smallIvf(dimension: number) {
  const { vectors } = clusteredVectors({ count: 1500, dimension, clusters: 12, seed: 31 });
  const rows = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, i) => rows.set(vector, i * dimension));
  const codebook = trainCodebook(rows, vectors.length, dimension, 12, { seed: 1, iterations: 5 });
  const postings = new MemoryPostings(dimension);
  for (let c = 0; c < codebook.k; c += 1) postings.addList();
  vectors.forEach((vector, i) => postings.append(codebook.assign(vector), i, vector));
  return { codebook, postings, vectors, scorer: new BlockScorer(dimension) };
}

const exactTop = (vectors: Float32Array[], query: Float32Array, k: number) =>
  vectors
    .map((vector, i) => ({ i, score: vector.reduce((s, x, d) => s + x * query[d]!, 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((hit) => hit.i);

describe('searchLists', () => {
  for (const dimension of [32, 40]) {
    it(`scan of codes + re-rank returns the float32 answer (dimension ${dimension}, ${dimension % 16 ? 'JavaScript' : 'SIMD'} re-rank)`, () => {
      const { codebook, postings, vectors, scorer } = smallIvf(dimension);
      const queries = clusteredVectors({ count: 30, dimension, clusters: 12, seed: 32 }).vectors;
      for (const query of queries) {
        const everything = searchLists(codebook, postings, query, { k: 10, nprobe: codebook.k, rerank: 40, maxCodes: 0 }, scorer);
        expect(everything.map((hit) => hit.item)).toEqual(exactTop(vectors, query, 10));
        // Over a few lists, the same answer as scanning those lists' float32 vectors.
        const coded = searchLists(codebook, postings, query, { k: 10, nprobe: 3, rerank: 40, maxCodes: 0 }, scorer);
        const exact = searchLists(codebook, postings, query, { k: 10, nprobe: 3, rerank: 0, maxCodes: 0 }, scorer);
        expect(coded.map((hit) => hit.item)).toEqual(exact.map((hit) => hit.item));
        for (let i = 0; i < coded.length; i += 1) expect(coded[i]!.score).toBeCloseTo(exact[i]!.score, 5);
      }
    });
  }

  it('skips empty lists when probing and stops at maxCodes', () => {
    const { codebook, postings, scorer, vectors } = smallIvf(32);
    const query = vectors[0]!;
    const first = searchLists(codebook, postings, query, { k: 5, nprobe: 1, rerank: 20, maxCodes: 0 }, scorer);
    expect(first).toHaveLength(5);
    const capped = searchLists(codebook, postings, query, { k: 5, nprobe: codebook.k, rerank: 20, maxCodes: 1 }, scorer);
    expect(capped.map((hit) => hit.item)).toEqual(first.map((hit) => hit.item));
  });
});
