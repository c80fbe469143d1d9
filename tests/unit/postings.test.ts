import { describe, expect, it } from 'vitest';
import { MemoryPostings } from '../../functions/vq/index.js';

describe('MemoryPostings', () => {
  it('keeps vectors contiguous and in the order entries are inserted at, through growth', () => {
    const postings = new MemoryPostings(2);
    const list = postings.addList();
    for (let i = 0; i < 20; i += 1) postings.insertAt(list, postings.listSize(list), i, new Float32Array([i, -i]));
    postings.insertAt(list, 0, 100, new Float32Array([100, -100]));
    postings.removeAt(list, 5);
    expect(postings.listSize(list)).toBe(20);
    const items = Array.from(postings.listItems(list).subarray(0, 20));
    expect(items.slice(0, 6)).toEqual([100, 0, 1, 2, 3, 5]);
    items.forEach((item, slot) => expect(Array.from(postings.listVectors(list).subarray(slot * 2, slot * 2 + 2))).toEqual([item, -item]));
  });

  it('replaces a list wholesale', () => {
    const postings = new MemoryPostings(1);
    postings.addList();
    const list = postings.addList();
    postings.replaceList(list, Int32Array.from([7, 8, 9]), Float32Array.from([0.7, 0.8, 0.9]));
    expect(postings.listCount).toBe(2);
    expect(postings.listSize(0)).toBe(0);
    expect(Array.from(postings.listItems(list).subarray(0, 3))).toEqual([7, 8, 9]);
  });
});
