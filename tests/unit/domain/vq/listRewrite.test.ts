import { describe, expect, it } from 'vitest';
import { chooseRewrite } from '../../../../functions/domain/vq/listRewrite.js';

const limits = { maxDeltas: 3, foldWhenDeltaExceeds: { entries: 16, fractionOfBase: 0.5 } };
const base = { key: 'p', count: 100, scanBytes: 1, bytes: 2 };
const delta = (count: number, masked = 0) => ({ key: 'p', count, masked, scanBytes: 1, bytes: 2 });

describe('chooseRewrite', () => {
  it('writes a delta of the change alone, merges a chain that would pass maxDeltas, and folds once the deltas outgrow the base', () => {
    expect(chooseRewrite(base, { added: 0, masked: 0 }, 'none', limits)).toBe('keep');
    expect(chooseRewrite(base, { added: 2, masked: 1 }, 'none', limits)).toBe('delta');
    expect(chooseRewrite({ ...base, deltas: [delta(3), delta(2, 1)] }, { added: 2, masked: 0 }, 'none', limits)).toBe('delta');
    expect(chooseRewrite({ ...base, deltas: [delta(3), delta(2, 1), delta(1)] }, { added: 2, masked: 0 }, 'none', limits)).toBe('merge');
    // 45 + 6 entries over the chain: more than half the base's 100.
    expect(chooseRewrite({ ...base, deltas: [delta(40, 5)] }, { added: 5, masked: 1 }, 'none', limits)).toBe('fold');
    // A small list folds only past `entries` (16), not at half of its 4.
    expect(chooseRewrite({ ...base, count: 4 }, { added: 10, masked: 2 }, 'none', limits)).toBe('delta');
    expect(chooseRewrite({ ...base, count: 4 }, { added: 15, masked: 2 }, 'none', limits)).toBe('fold');
  });

  it('compaction rewrites a list whose base is in a sparse pack whole, and merges one whose deltas are', () => {
    expect(chooseRewrite(base, { added: 0, masked: 0 }, 'whole', limits)).toBe('fold');
    expect(chooseRewrite({ ...base, deltas: [delta(2)] }, { added: 0, masked: 0 }, 'deltas', limits)).toBe('merge');
    expect(chooseRewrite({ ...base, deltas: [delta(2)] }, { added: 1, masked: 0 }, 'deltas', limits)).toBe('merge');
  });
});
