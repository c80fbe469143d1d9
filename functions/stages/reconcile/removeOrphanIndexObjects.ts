import type { ObjectStore } from '../../domain/items/index.js';
import { allShards, indexKeys, isLegacyManifest, parseStoredManifest, scopedIndexKey, type IndexStorage } from '../../domain/vq/index.js';

interface OrphanIndexDeps {
  /** The bucket, to list and date the index's objects. */
  store: ObjectStore;
  /** All of index/. */
  storage: IndexStorage;
  embedderKey: string;
  shards: number;
}

/**
 * Packs no shard manifest names, older than `minAgeMs`: what an indexer left when it died between writing a
 * commit's pack and the manifest that names it (its own clean-up lives in its memory, gone with it). The age
 * keeps a commit still in progress safe: its pack is younger than any invocation can run, and `minAgeMs` is at
 * least that (0 only when nothing runs, e.g. once every queue is idle). Schema 2 indexes (no packs) are left as they are.
 */
export async function removeOrphanIndexObjects(deps: OrphanIndexDeps, options: { minAgeMs: number; now: Date }): Promise<string[]> {
  const removed: string[] = [];
  for (const shard of allShards(deps.shards)) {
    const manifestKey = scopedIndexKey(indexKeys.manifest(shard), deps.embedderKey);
    // The manifest before the listing: a pack committed in between is younger than minAgeMs, and kept.
    const stored = await deps.storage.get(manifestKey);
    const manifest = stored && parseStoredManifest(manifestKey, stored.bytes);
    if (manifest && (isLegacyManifest(manifest) || !manifest.packs)) continue;
    const named = new Set((manifest?.packs ?? []).map((pack) => scopedIndexKey(pack.key, deps.embedderKey)));
    const orphans: string[] = [];
    for await (const key of deps.store.listKeys(scopedIndexKey(`${indexKeys.shardPrefix(shard)}packs/`, deps.embedderKey))) {
      if (named.has(key)) continue;
      const info = await deps.store.head(key);
      if (info && options.now.getTime() - info.lastModified.getTime() >= options.minAgeMs) orphans.push(key);
    }
    if (orphans.length > 0) await deps.storage.delete(orphans);
    removed.push(...orphans);
  }
  return removed;
}
