import { describe, expect, it } from 'vitest';
import { codeBytesFor, createPrng, QuantizedQuery, scanBytesPerVector } from '../../../../functions/domain/vq/index.js';
import { codeDot, encodeScalarCode } from '../../../../functions/domain/vq/scalarCodes.js';

const prng = createPrng(5);
const unit = (dimension: number) => {
  const v = Float32Array.from({ length: dimension }, () => prng.nextGaussian());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, d) => sum + x * b[d]!, 0);

describe('scalar codes', () => {
  it('reconstruct every component within half a step, and pad with zero codes', () => {
    for (const dimension of [8, 100, 784]) {
      const vector = unit(dimension);
      const codes = new Uint8Array(codeBytesFor(dimension)).fill(7);
      const params = new Float32Array(2);
      encodeScalarCode(vector, 0, dimension, codes, 0, params, 0);
      const [low, step] = [params[0]!, params[1]!];
      for (let d = 0; d < dimension; d += 1) expect(Math.abs(low + step * codes[d]! - vector[d]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
      expect(Array.from(codes.subarray(dimension)).every((code) => code === 0)).toBe(true);
      expect(scanBytesPerVector(dimension)).toBe(codeBytesFor(dimension) + 8);
    }
  });

  it('estimate the inner product closely: the error is what the code steps allow', () => {
    const dimension = 256;
    for (let trial = 0; trial < 20; trial += 1) {
      const vector = unit(dimension);
      const queryVector = unit(dimension);
      const codes = new Uint8Array(codeBytesFor(dimension));
      const params = new Float32Array(2);
      encodeScalarCode(vector, 0, dimension, codes, 0, params, 0);
      const query = new QuantizedQuery(dimension).set(queryVector);
      const estimate = params[0]! * query.sum + (params[1]! * codeDot(query.values, codes, 0, codes.length)) / query.scale;
      // Σ|q| · step/2 bounds the code error; the query's own rounding adds at most Σ|x|/(2·scale).
      const bound =
        (queryVector.reduce((s, x) => s + Math.abs(x), 0) * params[1]!) / 2 +
        vector.reduce((s, x) => s + Math.abs(x), 0) / (2 * query.scale);
      expect(Math.abs(estimate - dot(vector, queryVector))).toBeLessThanOrEqual(bound + 1e-6);
    }
  });

  it('code a constant vector with step 0, and a zero query with scale 1', () => {
    const codes = new Uint8Array(16);
    const params = new Float32Array(2);
    encodeScalarCode(new Float32Array(16).fill(0.25), 0, 16, codes, 0, params, 0);
    expect(Array.from(params)).toEqual([0.25, 0]);
    const query = new QuantizedQuery(16).set(new Float32Array(16));
    expect(query.scale).toBe(1);
    expect(query.sum).toBe(0);
  });
});
