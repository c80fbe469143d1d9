import { describe, expect, it } from 'vitest';
import {
  CorruptIndexDataError,
  decodeList,
  decodeListScanPart,
  decodePage,
  encodeList,
  encodePage,
  QuantizedQuery,
} from '../../../../functions/domain/vq/index.js';
import { vectorRange } from '../../../../functions/domain/vq/listCodec.js';
import { codeDot } from '../../../../functions/domain/vq/scalarCodes.js';

describe('posting list and codebook page codec', () => {
  const entries = [
    { id: 'a', seq: 7, vector: new Float32Array([0.6, 0.8, 0]) },
    { id: 'ünïcode-id', seq: 9, vector: new Float32Array([0, 0, 1]) },
  ];

  it('round-trips a list; the scan part alone (a range read of the front) decodes to the same codes and ids', () => {
    const { bytes, scanBytes } = encodeList(3, entries);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('VQLS');
    const whole = decodeList('k', bytes);
    expect(whole.ids).toEqual(['a', 'ünïcode-id']);
    expect(Array.from(whole.seqs)).toEqual([7, 9]);
    expect(whole.vectors).toEqual(new Float32Array([0.6, 0.8, 0, 0, 0, 1]));
    expect(whole.vectorsOffset).toBe(scanBytes);
    const front = decodeListScanPart('k', bytes.slice(0, scanBytes));
    expect(front.ids).toEqual(whole.ids);
    expect(front.codes).toEqual(whole.codes);
    expect(front.params).toEqual(whole.params);
    // Entry 1's vector sits where vectorRange says, little-endian float32.
    const [start, end] = vectorRange(front, 1);
    expect(new Float32Array(bytes.slice(start, end).buffer)).toEqual(entries[1]!.vector);
    // The codes estimate the dot product: q · x ≈ low · Σq + step · (values · codes) / scale.
    const query = new QuantizedQuery(3).set(new Float32Array([0.6, 0.8, 0]));
    const dot = codeDot(query.values, front.codes, 0, front.codeBytes);
    expect(front.params[0]! * query.sum + (front.params[1]! * dot) / query.scale).toBeCloseTo(1, 2);
  });

  it('decodes an unaligned view (S3 bodies can start anywhere in a buffer)', () => {
    const { bytes } = encodeList(3, entries);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeList('k', shifted.subarray(1)).vectors).toEqual(decodeList('k', bytes).vectors);
  });

  it('round-trips a codebook page with the lists it names', () => {
    const page = {
      dimension: 2,
      firstList: 64,
      centroids: new Float32Array([1, 0, 0, 1]),
      drift: new Float32Array([0.5, 0]),
      lists: [
        { key: 'index/s0/lists/000064-x.vqls', count: 3, scanBytes: 100, bytes: 140 },
        { key: '', count: 0, scanBytes: 0, bytes: 0 },
      ],
    };
    expect(decodePage('p', encodePage(page))).toEqual(page);
  });

  it('rejects foreign or truncated bytes with CorruptIndexDataError', () => {
    const { bytes, scanBytes } = encodeList(3, entries);
    expect(() => decodeList('k', bytes.subarray(0, bytes.length - 1))).toThrow(CorruptIndexDataError);
    expect(() => decodeListScanPart('k', bytes.subarray(0, scanBytes - 1))).toThrow(CorruptIndexDataError);
    expect(() => decodeList('k', new TextEncoder().encode('{"not":"a list"}................................'))).toThrow(
      CorruptIndexDataError,
    );
    expect(() => decodePage('p', bytes)).toThrow(CorruptIndexDataError);
  });
});
