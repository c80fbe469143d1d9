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
import { decodeMembers, membersRange, vectorRange } from '../../../../functions/domain/vq/listCodec.js';
import { codeDot } from '../../../../functions/domain/vq/scalarCodes.js';

describe('posting list and codebook page codec', () => {
  const entries = [
    { id: 'a', seq: 7, vector: new Float32Array([0.6, 0.8, 0]) },
    { id: 'ünïcode-id', seq: 9, vector: new Float32Array([0, 0, 1]) },
  ];
  const sum = new Float64Array([0.6 * 2 ** 24, 0.8 * 2 ** 24, 2 ** 24]);

  it('round-trips a list; the scan part alone (a range read of the front) decodes to the same codes and ids', () => {
    const { bytes, scanBytes } = encodeList(3, entries, [], sum);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('VQLS');
    const whole = decodeList('k', bytes);
    expect(whole.ids).toEqual(['a', 'ünïcode-id']);
    expect(Array.from(whole.seqs)).toEqual([7, 9]);
    expect(whole.vectors).toEqual(new Float32Array([0.6, 0.8, 0, 0, 0, 1]));
    // The list's member sum sits between the scan part and the vectors: a query never reads it.
    expect(whole.vectorsOffset).toBe(scanBytes + 3 * 8);
    expect(whole.sum).toEqual(sum);
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

  it("a writer's cold-start read (membersRange) holds a blob's ids, masked ids and the list's sum, not its codes or vectors", () => {
    const { bytes, scanBytes } = encodeList(3, entries, ['gone-1', 'gone-2'], sum);
    const ref = { key: 'k', count: entries.length, scanBytes, bytes: bytes.length };
    const [start, end] = membersRange(ref, 3, true);
    expect(start).toBeGreaterThan(32 + entries.length * (8 + 16) - 1);
    expect(end).toBeLessThan(decodeList('k', bytes).vectorsOffset + 1);
    expect(decodeMembers('k', bytes.slice(start, end), ref, 2, 3, true)).toEqual({
      ids: ['a', 'ünïcode-id'],
      masked: ['gone-1', 'gone-2'],
      sum,
    });
    const withoutSum = membersRange(ref, 3, false);
    expect(decodeMembers('k', bytes.slice(...withoutSum), ref, 2, 3, false)).toEqual({
      ids: ['a', 'ünïcode-id'],
      masked: ['gone-1', 'gone-2'],
    });
    expect(() => decodeMembers('k', bytes.slice(start, end - 1), ref, 2, 3, true)).toThrow(CorruptIndexDataError);
  });

  it('decodes an unaligned view (S3 bodies can start anywhere in a buffer)', () => {
    const { bytes } = encodeList(3, entries, [], sum);
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

  it('reads a schema-3 page, whose lists name one delta each, as a chain of one', () => {
    const delta = { key: 'p', offset: 8, count: 1, scanBytes: 60, bytes: 90, masked: 2 };
    const base = { key: 'p', offset: 0, count: 3, scanBytes: 100, bytes: 140 };
    const page = {
      dimension: 2,
      firstList: 0,
      centroids: new Float32Array([1, 0]),
      drift: new Float32Array([0]),
      lists: [{ ...base, delta }],
    };
    // encodePage writes whatever ListRef it is given: here the old field, as schema 3 wrote it.
    expect(decodePage('p', encodePage(page as unknown as Parameters<typeof encodePage>[0])).lists).toEqual([{ ...base, deltas: [delta] }]);
  });

  it('rejects foreign or truncated bytes with CorruptIndexDataError', () => {
    const { bytes, scanBytes } = encodeList(3, entries, [], sum);
    expect(() => decodeList('k', bytes.subarray(0, bytes.length - 1))).toThrow(CorruptIndexDataError);
    expect(() => decodeListScanPart('k', bytes.subarray(0, scanBytes - 1))).toThrow(CorruptIndexDataError);
    expect(() => decodeList('k', new TextEncoder().encode('{"not":"a list"}................................'))).toThrow(
      CorruptIndexDataError,
    );
    expect(() => decodePage('p', bytes)).toThrow(CorruptIndexDataError);
  });
});
