import { describe, expect, it } from 'vitest';
import { codeBytesFor, MemoryPostings, QuantizedQuery } from '../../../../functions/domain/vq/index.js';
import { codeDot } from '../../../../functions/domain/vq/scalarCodes.js';

const vector = (i: number) => new Float32Array([i / 10, -i / 10, 0.5, 0.25]);

describe('MemoryPostings', () => {
  it('appends through growth, removes by moving the last entry into the gap, and knows where each item is', () => {
    const postings = new MemoryPostings(4, 2);
    const list = postings.addList();
    for (let i = 0; i < 20; i += 1) postings.append(list, i, vector(i));
    postings.remove(5);
    expect(postings.listSize(list)).toBe(19);
    expect(postings.listOf(5)).toBe(-1);
    expect(postings.listItems(list)[5]).toBe(19);
    for (const item of postings.listItems(list).subarray(0, 19)) {
      expect(postings.listOf(item)).toBe(list);
      expect(Array.from(postings.vectorOf(item))).toEqual(Array.from(vector(item)));
    }
  });

  it('moves an item with its vector and code to another list', () => {
    const postings = new MemoryPostings(4);
    const from = postings.addList();
    const to = postings.addList();
    for (let i = 0; i < 3; i += 1) postings.append(from, i, vector(i));
    const query = new QuantizedQuery(4).set(new Float32Array([1, 2, 3, 4]));
    const before = new Int32Array(3);
    postings.scoreCodes(from, query, before);
    postings.move(1, to);
    expect(postings.listOf(1)).toBe(to);
    expect(postings.listSize(from)).toBe(2);
    expect(Array.from(postings.vectorOf(1))).toEqual(Array.from(vector(1)));
    const after = new Int32Array(1);
    postings.scoreCodes(to, query, after);
    expect(after[0]).toBe(before[1]);
    // The list it left still scores its current entries (the SIMD copy was refreshed).
    const left = new Int32Array(2);
    const params = postings.scoreCodes(from, query, left);
    expect(params.length).toBeGreaterThanOrEqual(4);
    expect(Array.from(left)).toEqual([before[0], before[2]]);
  });

  it('scores exactly on float32 vectors', () => {
    const postings = new MemoryPostings(4);
    const list = postings.addList();
    for (let i = 0; i < 5; i += 1) postings.append(list, i, vector(i));
    const out = new Float32Array(5);
    postings.scoreExact(list, new Float32Array([1, 0, 0, 0]), out);
    expect(Array.from(out)).toEqual(Array.from(postings.listItems(list).subarray(0, 5), (i) => Math.fround(i / 10)));
    expect(codeBytesFor(4)).toBe(16);
    expect(codeDot(new Int16Array(16).fill(1), new Uint8Array(16).fill(2), 0, 16)).toBe(32);
  });
});
