import type { ListRef } from './listCodec.js';

/**
 * What a commit writes for a list: nothing ('keep'), a delta of its change
 * after its earlier deltas, its deltas and the change merged into one delta,
 * or the whole list as a new base ('fold').
 */
export type ListRewrite = 'keep' | 'delta' | 'merge' | 'fold';

/** Compaction's word on a list: its base sits in a pack mostly dead ('whole'), or only some of its deltas do. */
export type ListCompaction = 'none' | 'deltas' | 'whole';

export interface ChainLimits {
  maxDeltas: number;
  foldWhenDeltaExceeds: { entries: number; fractionOfBase: number };
}

/**
 * Chooses the rewrite of a changed (or compacted) list from what its chain
 * holds and what this commit changed: a fold once the deltas (added plus
 * masked entries, over the chain and this change) outgrow max(entries,
 * fractionOfBase × the base), a merge once the chain would pass maxDeltas,
 * else a delta of the change alone.
 */
export function chooseRewrite(
  ref: ListRef,
  change: { added: number; masked: number },
  compaction: ListCompaction,
  limits: ChainLimits,
): ListRewrite {
  if (compaction === 'whole') return 'fold';
  const deltas = ref.deltas ?? [];
  const changed = change.added + change.masked > 0;
  if (!changed && compaction === 'none') return 'keep';
  const deltaEntries = deltas.reduce((sum, delta) => sum + delta.count + delta.masked, change.added + change.masked);
  const { entries, fractionOfBase } = limits.foldWhenDeltaExceeds;
  if (deltaEntries > Math.max(entries, fractionOfBase * ref.count)) return 'fold';
  if (compaction === 'deltas' || deltas.length + (changed ? 1 : 0) > limits.maxDeltas) return 'merge';
  return 'delta';
}
