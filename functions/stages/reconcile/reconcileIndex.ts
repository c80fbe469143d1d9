import pLimit from 'p-limit';
import { pipelineConfig } from '../../config/index.js';
import { getJson, itemKeys, type ItemManifest, type ObjectStore } from '../../domain/items/index.js';
import { allShards, indexMembers, scopedIndexStorage, type IndexStorage } from '../../domain/vq/index.js';
import type { IndexUpdateQueue } from '../ingest/index.js';

export interface IndexReconcileDeps {
  store: ObjectStore;
  /** All of index/; the configured embedder's own index is read. */
  storage: IndexStorage;
  /** The configured embedder's key (embedderKey): the index its writer fills, the vectors it reads. */
  embedderKey: string;
  shards: number;
  indexUpdates: IndexUpdateQueue;
}

export interface IndexReconcileResult {
  /** Ready items with a vector of the configured embedder. */
  ready: number;
  /** Items the configured embedder's index holds. */
  indexed: number;
  /** Ready items missing from the index, announced again. */
  reannounced: string[];
  /** Index entries whose item is gone, announced as deletes. */
  removed: string[];
  /** false when the deadline cut the sweep short. */
  complete: boolean;
}

/** Manifests and vectors checked at once. */
const checkConcurrency = 16;

/**
 * The index's half of reconciliation: an announcement lost with a crash (the
 * machine died between the item's write and its message) leaves a ready item
 * that no query finds. Reads which ids the index holds (the lists' ids, not
 * their vectors), then announces each ready item the index lacks, and a
 * delete for each entry whose item is gone. Safe at any time: the indexer makes repeats no-ops, and an item
 * still rendering is never removed (ingest announces it before it is ready).
 */
export async function reconcileIndex(deps: IndexReconcileDeps, options: { deadlineMs?: number } = {}): Promise<IndexReconcileResult> {
  const key = deps.embedderKey;
  const result: IndexReconcileResult = { ready: 0, indexed: 0, reannounced: [], removed: [], complete: true };
  // The index first: ingest stores an item's vector before it announces it, so every id read here
  // has its vector by the time the items are listed, unless the item was deleted (then it is stale).
  const index = scopedIndexStorage(deps.storage, key);
  const indexed = new Set<string>();
  for (const shard of allShards(deps.shards)) for (const id of await indexMembers(index, shard)) indexed.add(id);
  result.indexed = indexed.size;
  const ready: string[] = [];
  const withVector = new Set<string>();
  let cursor: string | undefined;
  do {
    if (options.deadlineMs !== undefined && Date.now() > options.deadlineMs) return { ...result, complete: false };
    const page = await deps.store.listFolders(pipelineConfig.prefixes.items, 1000, cursor);
    await pLimit(checkConcurrency).map(page.folders, async (itemId) => {
      if (!(await deps.store.head(itemKeys.embedding(itemId, key)))) return;
      withVector.add(itemId);
      if ((await getJson<ItemManifest>(deps.store, itemKeys.manifest(itemId)))?.status === 'ready') ready.push(itemId);
    });
    cursor = page.nextCursor;
  } while (cursor);
  result.ready = ready.length;

  result.reannounced = ready.filter((itemId) => !indexed.has(itemId)).sort();
  result.removed = [...indexed].filter((itemId) => !withVector.has(itemId)).sort();
  // One send: the queue packs each shard's updates several to a message (the indexer reads the upserts' vectors).
  await deps.indexUpdates.send([
    ...result.reannounced.map((itemId) => ({ op: 'upsert' as const, itemId })),
    ...result.removed.map((itemId) => ({ op: 'delete' as const, itemId })),
  ]);
  return result;
}
