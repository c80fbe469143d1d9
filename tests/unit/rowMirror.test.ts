import { describe, expect, it } from 'vitest';
import { Codebook, createPrng, MemoryPostings, scoreRows, trainCodebook } from '../../functions/vq/index.js';
import { RowMirror } from '../../functions/vq/rowMirror.js';
import { scoreKernelAvailable } from '../../functions/vq/scoreKernel.js';

/** The SIMD scoring copy against the JavaScript loop it replaces. */
const prng = createPrng(3);
const randomRows = (count: number, dimension: number) => Float32Array.from({ length: count * dimension }, () => prng.nextGaussian());
const jsScores = (query: Float32Array, rows: Float32Array, count: number, dimension: number) => {
  const out = new Float32Array(count);
  scoreRows(query, rows, count, dimension, out);
  return out;
};
const expectClose = (actual: Float32Array, expected: Float32Array) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i += 1) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[i]!)));
};

describe('RowMirror', () => {
  it('runs the SIMD kernel on this Node', () => {
    expect(scoreKernelAvailable).toBe(true);
    expect(new RowMirror(256).usable).toBe(true);
  });

  it('scores like the JavaScript loop, for every dimension the kernel takes', () => {
    for (const dimension of [16, 48, 256, 512]) {
      const mirror = new RowMirror(dimension);
      const rows = randomRows(37, dimension);
      const query = randomRows(1, dimension);
      const out = new Float32Array(37);
      expect(mirror.score(0, 1, rows, 37, query, out)).toBe(true);
      expectClose(out, jsScores(query, rows, 37, dimension));
    }
  });

  it('declines dimensions the kernel does not take, so callers use their loop', () => {
    const mirror = new RowMirror(20);
    expect(mirror.usable).toBe(false);
    expect(mirror.score(0, 1, randomRows(4, 20), 4, randomRows(1, 20), new Float32Array(4))).toBe(false);
  });

  it('copies a block again when its version moves, and only then', () => {
    const dimension = 32;
    const mirror = new RowMirror(dimension);
    const rows = randomRows(10, dimension);
    const query = randomRows(1, dimension);
    const out = new Float32Array(10);
    mirror.score(7, 1, rows, 10, query, out);
    rows.fill(0.5, 0, dimension);
    // Same version: the stale copy is scored (the owner promised nothing changed).
    mirror.score(7, 1, rows, 10, query, out);
    expect(out[0]).not.toBeCloseTo(jsScores(query, rows, 10, dimension)[0]!, 3);
    mirror.score(7, 2, rows, 10, query, out);
    expectClose(out, jsScores(query, rows, 10, dimension));
  });

  it('stays right through growth, many blocks and starting over', () => {
    const dimension = 64;
    const mirror = new RowMirror(dimension);
    const lists = Array.from({ length: 40 }, () => ({ rows: randomRows(4, dimension), count: 4, version: 0 }));
    for (let step = 0; step < 400; step += 1) {
      const key = prng.nextInt(lists.length);
      const list = lists[key]!;
      if (prng.next() < 0.5) {
        // The owner grows the list (doubling its capacity like MemoryPostings).
        const count = list.count + 1 + prng.nextInt(40);
        const rows = new Float32Array(Math.max(count, 2 * list.count) * dimension);
        rows.set(list.rows.subarray(0, list.count * dimension));
        rows.set(randomRows(count - list.count, dimension), list.count * dimension);
        lists[key] = { rows, count, version: list.version + 1 };
      }
      const current = lists[key]!;
      const query = randomRows(1, dimension);
      const out = new Float32Array(current.count);
      mirror.score(key, current.version, current.rows, current.count, query, out);
      expectClose(out, jsScores(query, current.rows, current.count, dimension));
    }
  });

  it('keeps postings and codebooks scoring their current rows after writes', () => {
    const dimension = 16;
    const postings = new MemoryPostings(dimension);
    const list = postings.addList();
    const vectors = randomRows(3, dimension);
    for (let i = 0; i < 3; i += 1) postings.insertAt(list, i, i, vectors, i * dimension);
    const query = randomRows(1, dimension);
    const out = new Float32Array(3);
    postings.scoreList(list, query, out);
    postings.removeAt(list, 0);
    postings.scoreList(list, query, out);
    expectClose(out.subarray(0, 2), jsScores(query, vectors.subarray(dimension), 2, dimension));

    const data = randomRows(200, dimension);
    const codebook = trainCodebook(data, 200, dimension, 8, { seed: 1, iterations: 3 });
    const scores = new Float32Array(8);
    codebook.scoreAll(query, scores);
    codebook.centroids.fill(0.25, 0, dimension);
    codebook.changed();
    codebook.scoreAll(query, scores);
    expectClose(scores, jsScores(query, codebook.centroids, 8, dimension));
    const grown = Codebook.fromCentroids(dimension, codebook.centroids, 8);
    grown.add(randomRows(1, dimension));
    const nine = new Float32Array(9);
    grown.scoreAll(query, nine);
    expectClose(nine, jsScores(query, grown.centroids, 9, dimension));
  });
});
