import type { IndexManifest } from './indexManifest.js';
import { storedBlobs, type ListRef } from './listCodec.js';
import type { ListCompaction } from './listRewrite.js';

export interface CompactionLimits {
  /** Compaction runs only while the packs hold more than this many times the bytes the manifest names. */
  maxStoredOverLive: number;
  /** A pack is rewritten only when less than this fraction of it is live. */
  liveFractionBelow: number;
  /** Live bytes one commit rewrites at most. */
  bytesPerCommit: number;
}

/** The lists and pages a commit rewrites so that packs mostly dead can be deleted. */
export interface CompactionPlan {
  lists: Map<number, ListCompaction>;
  pages: Set<number>;
}

/**
 * Chooses what a commit rewrites to free packs mostly dead. A commit's pack
 * holds the pages and blobs it wrote, and later commits make them dead by
 * writing newer ones, so packs go sparse all the time; rewriting a pack's
 * live contents costs writes. So compaction bounds space, not each pack: it
 * runs only while the packs hold more than maxStoredOverLive × the live
 * bytes, and then takes the packs with the most dead bytes first (the most
 * space freed per byte rewritten) among those under liveFractionBelow live,
 * within the commit's byte budget. A list whose base is in such a pack is
 * written whole again; one with only deltas there has its deltas merged.
 */
export function planCompaction(manifest: IndexManifest | undefined, lists: readonly ListRef[], limits: CompactionLimits): CompactionPlan {
  const plan: CompactionPlan = { lists: new Map(), pages: new Set() };
  if (!manifest?.packs?.length) return plan;
  const live = new Map<string, number>();
  const count = (key: string, bytes: number) => live.set(key, (live.get(key) ?? 0) + bytes);
  manifest.pages.forEach((ref) => count(ref.key, ref.bytes));
  for (const ref of lists) for (const blob of storedBlobs(ref)) count(blob.key, blob.bytes);
  const liveOf = (key: string) => live.get(key) ?? 0;
  let stored = manifest.packs.reduce((sum, pack) => sum + pack.bytes, 0);
  const liveTotal = manifest.packs.reduce((sum, pack) => sum + liveOf(pack.key), 0);
  const candidates = manifest.packs
    .filter((pack) => liveOf(pack.key) < limits.liveFractionBelow * pack.bytes)
    .sort((a, b) => b.bytes - liveOf(b.key) - (a.bytes - liveOf(a.key)));
  let budget = limits.bytesPerCommit;
  for (const pack of candidates) {
    if (stored <= limits.maxStoredOverLive * liveTotal || budget <= 0) break;
    manifest.pages.forEach((ref, page) => ref.key === pack.key && plan.pages.add(page));
    lists.forEach((ref, list) => {
      if (plan.lists.get(list) === 'whole') return;
      const blobs = storedBlobs(ref);
      if (ref.key === pack.key && ref.count > 0) {
        plan.lists.set(list, 'whole');
        budget -= blobs.reduce((sum, blob) => sum + blob.bytes, 0);
      } else if (!plan.lists.has(list) && (ref.deltas ?? []).some((delta) => delta.key === pack.key)) {
        plan.lists.set(list, 'deltas');
        budget -= (ref.deltas ?? []).reduce((sum, delta) => sum + delta.bytes, 0);
      }
    });
    // Its live contents move to this commit's pack; what was dead in it goes with it.
    stored -= pack.bytes - liveOf(pack.key);
  }
  return plan;
}

/** Every list and page rewritten: a shard moving from an older layout. */
export function compactEverything(manifest: IndexManifest, lists: number): CompactionPlan {
  return {
    lists: new Map(Array.from({ length: lists }, (_, list) => [list, 'whole' as const])),
    pages: new Set(manifest.pages.map((_, page) => page)),
  };
}
