import { describe, expect, it } from 'vitest';
import {
  CorruptIndexDataError,
  decodeCodebook,
  decodeSegment,
  encodeCodebook,
  encodeSegment,
} from '../../../../functions/domain/vq/index.js';

describe('segment and codebook codec', () => {
  const puts = [
    { id: 'a', list: 2, seq: 7, vector: new Float32Array([0.6, 0.8, 0]) },
    { id: 'ünïcode-id', list: 0, seq: 9, vector: new Float32Array([0, 0, 1]) },
  ];

  it('round-trips puts and deletes, little-endian float32 vectors after a 32-byte header', () => {
    const bytes = encodeSegment('delta', 3, { puts, deletes: ['gone'] });
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('VQSG');
    expect(new DataView(bytes.buffer).getFloat32(32 + 4, true)).toBeCloseTo(0.8, 6);
    const decoded = decodeSegment('k', bytes);
    expect(decoded).toMatchObject({ kind: 'delta', dimension: 3, deletes: ['gone'] });
    expect(decoded.puts.map(({ id, list, seq }) => ({ id, list, seq }))).toEqual(puts.map(({ id, list, seq }) => ({ id, list, seq })));
    expect(decoded.puts[1]!.vector).toEqual(puts[1]!.vector);
    // Decoding an unaligned view works too (S3 bodies can start anywhere in a buffer).
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeSegment('k', shifted.subarray(1)).puts[0]!.vector).toEqual(puts[0]!.vector);
  });

  it('round-trips a codebook', () => {
    const centroids = new Float32Array([1, 0, 0, 1]);
    const decoded = decodeCodebook('c', encodeCodebook(2, 2, centroids, new Float32Array([0.5, 0])));
    expect(decoded).toEqual({ dimension: 2, k: 2, centroids, drift: new Float32Array([0.5, 0]) });
  });

  it('rejects foreign or truncated bytes with CorruptIndexDataError', () => {
    const bytes = encodeSegment('base', 3, { puts, deletes: [] });
    expect(() => decodeSegment('k', bytes.subarray(0, bytes.length - 1))).toThrow(CorruptIndexDataError);
    expect(() => decodeSegment('k', new TextEncoder().encode('{"not":"a segment"}........................'))).toThrow(
      CorruptIndexDataError,
    );
    expect(() => decodeCodebook('c', bytes)).toThrow(CorruptIndexDataError);
  });
});
