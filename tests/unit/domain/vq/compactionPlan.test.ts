import { describe, expect, it } from 'vitest';
import { planCompaction } from '../../../../functions/domain/vq/compactionPlan.js';
import type { IndexManifest } from '../../../../functions/domain/vq/indexManifest.js';

const limits = { maxStoredOverLive: 1.5, liveFractionBelow: 0.5, bytesPerCommit: 10_000 };
const blob = (key: string, bytes: number) => ({ key, offset: 0, count: 10, scanBytes: 10, bytes });

/** Three packs of 1,000 bytes: p1 holds list 0's base (100 live), p2 list 1's base (900 live), p3 a delta of list 0 (50 live) and a page (50). */
function shard(packBytes = 1000) {
  const lists = [
    { ...blob('p1', 100), deltas: [{ ...blob('p3', 50), masked: 0 }] },
    { ...blob('p2', 900), deltas: [] },
  ];
  const manifest = {
    pages: [{ key: 'p3', offset: 64, firstList: 0, lists: 2, items: 20, bytes: 50, listBytes: 1050 }],
    packs: ['p1', 'p2', 'p3'].map((key) => ({ key, bytes: packBytes })),
  } as unknown as IndexManifest;
  return { manifest, lists };
}

describe('planCompaction', () => {
  it('rewrites nothing while the packs hold at most maxStoredOverLive × the live bytes', () => {
    // 3,000 stored over 1,100 live is 2.7×; a bound of 3 leaves it alone.
    const { manifest, lists } = shard();
    expect(planCompaction(manifest, lists, { ...limits, maxStoredOverLive: 3 })).toEqual({ lists: new Map(), pages: new Set() });
  });

  it('past the bound, frees the packs with the most dead bytes first, folding a list whose base is there and merging one with deltas there', () => {
    const { manifest, lists } = shard();
    // p1 (900 dead) goes first: list 0 is written whole. Then 2,100 stored over 1,100 live is still above 1.5×: p3 (900 dead) too.
    const plan = planCompaction(manifest, lists, limits);
    expect(plan.lists).toEqual(new Map([[0, 'whole']]));
    expect(plan.pages).toEqual(new Set([0]));
    // p2 is 90 % live: never rewritten.
    const onlyDeltas = planCompaction(manifest, [{ ...lists[0]!, key: 'p2' }, lists[1]!], limits);
    expect(onlyDeltas.lists).toEqual(new Map([[0, 'deltas']]));
  });

  it('stops at the commit budget', () => {
    const { manifest, lists } = shard();
    expect(planCompaction(manifest, lists, { ...limits, bytesPerCommit: 0 }).lists.size).toBe(0);
  });
});
