import { describe, expect, it } from 'vitest';
import { liveEntries, maskedSlots } from '../../../../functions/domain/vq/listParts.js';

describe('a list as a base and a chain of deltas', () => {
  it('an entry is live unless a later blob masks its id; a delta may mask and re-add the same id', () => {
    const base = { ids: ['a', 'b', 'c'], masked: [] };
    // Delta 1 masks b (deleted) and c (re-embedded: added again), delta 2 masks d (added by delta 1) and a.
    const delta1 = { ids: ['d', 'c'], masked: ['b', 'c'] };
    const delta2 = { ids: ['e'], masked: ['d', 'a'] };
    expect(maskedSlots([base, delta1, delta2]).map((slots) => [...slots].sort())).toEqual([[0, 1, 2], [0], []]);
    expect(liveEntries([base, delta1, delta2], (part, slot) => part.ids[slot])).toEqual(['c', 'e']);
    expect(liveEntries([base], (part, slot) => part.ids[slot])).toEqual(['a', 'b', 'c']);
    expect(liveEntries([], (part: { ids: string[]; masked: string[] }, slot) => part.ids[slot])).toEqual([]);
  });
});
