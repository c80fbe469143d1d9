import { decodeEmbedding } from '../embed/embeddingBytes.js';
import type { IndexUpdate } from '../ingest/index.js';
import { itemKeys, type ObjectStore } from '../items/index.js';
import { shardOfItem, type CommitResult, type IndexOperation, type IndexShardWriter } from '../vq/index.js';

export interface IndexerDeps {
  store: ObjectStore;
  shards: number;
  /** The one writer of a shard, kept across batches (it caches the loaded index). */
  writerFor(shard: string): IndexShardWriter;
}

export interface ShardCommit {
  shard: string;
  upserts: number;
  deletes: number;
  result: CommitResult;
}

/** A shard whose updates were not committed (a lost race retried to exhaustion, S3 trouble): all of them must be retried. */
export interface ShardFailure {
  shard: string;
  error: unknown;
}

export interface AppliedUpdates {
  commits: ShardCommit[];
  failures: ShardFailure[];
}

/**
 * Applies a batch of index updates, in order, as one commit per shard. Shards
 * succeed or fail on their own, so one shard's trouble never holds back
 * another's updates. An upsert reads the vector from items/<id>/embedding.f32;
 * when that is gone the item was deleted after the update was sent, so it is
 * applied as a delete. Re-delivered updates change nothing (same vector, same entry).
 */
export async function applyIndexUpdates(deps: IndexerDeps, updates: readonly IndexUpdate[]): Promise<AppliedUpdates> {
  const byShard = new Map<string, IndexUpdate[]>();
  for (const update of updates) {
    const shard = shardOfItem(update.itemId, deps.shards);
    byShard.set(shard, [...(byShard.get(shard) ?? []), update]);
  }
  const applied: AppliedUpdates = { commits: [], failures: [] };
  for (const [shard, shardUpdates] of byShard) {
    try {
      const operations = await Promise.all(shardUpdates.map((update) => toOperation(deps.store, update)));
      const result = await deps.writerFor(shard).apply(operations);
      const upserts = operations.filter((operation) => operation.op === 'upsert').length;
      applied.commits.push({ shard, upserts, deletes: operations.length - upserts, result });
    } catch (error) {
      applied.failures.push({ shard, error });
    }
  }
  return applied;
}

async function toOperation(store: ObjectStore, update: IndexUpdate): Promise<IndexOperation> {
  if (update.op === 'delete') return { op: 'delete', id: update.itemId };
  const bytes = await store.getBytes(itemKeys.embedding(update.itemId));
  return bytes ? { op: 'upsert', id: update.itemId, vector: decodeEmbedding(bytes) } : { op: 'delete', id: update.itemId };
}
