import { describe, expect, it } from 'vitest';
import { Codebook, codeBytesFor, createPrng, QuantizedQuery, scoreRows, trainCodebook } from '../../../../functions/domain/vq/index.js';
import { codeDot } from '../../../../functions/domain/vq/scalarCodes.js';
import { RowMirror } from '../../../../functions/domain/vq/rowMirror.js';
import { scoreKernelAvailable } from '../../../../functions/domain/vq/scoreKernel.js';

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
  for (let i = 0; i < expected.length; i += 1)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[i]!)));
};

describe('RowMirror', () => {
  it('runs the SIMD kernel on this Node', () => {
    expect(scoreKernelAvailable).toBe(true);
    expect(RowMirror.forFloatRows(256).usable).toBe(true);
  });

  it('scores like the JavaScript loop, for every dimension the kernel takes', () => {
    for (const dimension of [16, 48, 256, 512]) {
      const mirror = RowMirror.forFloatRows(dimension);
      const rows = randomRows(37, dimension);
      const query = randomRows(1, dimension);
      const out = new Float32Array(37);
      expect(mirror.score(0, 1, rows, 37, query, out)).toBe(true);
      expectClose(out, jsScores(query, rows, 37, dimension));
    }
  });

  it('declines dimensions the kernel does not take, so callers use their loop', () => {
    const mirror = RowMirror.forFloatRows(20);
    expect(mirror.usable).toBe(false);
    expect(mirror.score(0, 1, randomRows(4, 20), 4, randomRows(1, 20), new Float32Array(4))).toBe(false);
  });

  it('copies a block again when its version moves, and only then', () => {
    const dimension = 32;
    const mirror = RowMirror.forFloatRows(dimension);
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
    const mirror = RowMirror.forFloatRows(dimension);
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

  it('keeps codebooks scoring their current rows after writes, block by block', () => {
    const dimension = 16;
    const query = randomRows(1, dimension);
    const data = randomRows(400, dimension);
    const codebook = trainCodebook(data, 400, dimension, 40, { seed: 1, iterations: 3 });
    const scores = new Float32Array(40);
    codebook.scoreAll(query, scores);
    codebook.centroids.fill(0.25, 0, dimension);
    codebook.changed(0);
    codebook.set(37, randomRows(1, dimension));
    codebook.scoreAll(query, scores);
    expectClose(scores, jsScores(query, codebook.centroids, 40, dimension));
    const grown = Codebook.fromCentroids(dimension, codebook.centroids, 40);
    grown.add(randomRows(1, dimension));
    const more = new Float32Array(41);
    grown.scoreAll(query, more);
    expectClose(more, jsScores(query, grown.centroids, 41, dimension));
  });
});

describe('the integer code kernel', () => {
  const reference = (values: Int16Array, codes: Uint8Array, count: number, rowBytes: number) =>
    Int32Array.from({ length: count }, (_, row) => codeDot(values, codes, row * rowBytes, rowBytes));

  it('agrees with the JavaScript reference for every row length, including the worst case for int32', () => {
    for (const dimension of [16, 24, 100, 256, 784, 1536]) {
      const rowBytes = codeBytesFor(dimension);
      const mirror = RowMirror.forCodeRows(rowBytes);
      expect(mirror.usable).toBe(true);
      const count = 37;
      const codes = Uint8Array.from({ length: count * rowBytes }, () => prng.nextInt(256));
      const query = new QuantizedQuery(dimension).set(randomRows(1, dimension));
      const out = new Int32Array(count);
      expect(mirror.score(0, 1, codes, count, query.values, out)).toBe(true);
      expect(out).toEqual(reference(query.values, codes, count, rowBytes));
      // All codes 255 against a query of equal components: the largest sum the quantiser allows.
      const worst = new QuantizedQuery(dimension).set(new Float32Array(dimension).fill(1));
      const full = new Uint8Array(rowBytes).fill(255);
      const one = new Int32Array(1);
      mirror.score(1, 1, full, 1, worst.values, one);
      expect(one[0]).toBe(reference(worst.values, full, 1, rowBytes)[0]);
      expect(one[0]).toBeGreaterThan(0);
    }
  });
});
