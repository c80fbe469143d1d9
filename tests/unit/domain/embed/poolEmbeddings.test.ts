import { describe, expect, it } from 'vitest';
import { EmbedError, poolEmbeddings } from '../../../../functions/domain/embed/index.js';

describe('poolEmbeddings', () => {
  it('is the re-normalised mean of the normalised inputs, whatever their norms', () => {
    const pooled = poolEmbeddings([new Float32Array([10, 0]), new Float32Array([0, 0.1])]);
    expect(pooled[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(pooled[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('returns a single unit input unchanged and rejects empty, mixed or cancelling input', () => {
    expect(Array.from(poolEmbeddings([new Float32Array([0.6, 0.8])]))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(() => poolEmbeddings([])).toThrow(EmbedError);
    expect(() => poolEmbeddings([new Float32Array(2), new Float32Array(3)])).toThrow(EmbedError);
    expect(() => poolEmbeddings([new Float32Array([1, 0]), new Float32Array([-1, 0])])).toThrow(EmbedError);
  });
});
