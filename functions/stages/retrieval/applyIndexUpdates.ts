import pLimit from 'p-limit';
import { pipelineConfig } from '../../config/index.js';
import { decodeEmbedding } from '../../domain/embed/index.js';
import type { IndexUpdate } from '../ingest/index.js';
import { itemKeys, type ObjectStore } from '../../domain/items/index.js';
import { groupByShard, type CommitResult, type IndexOperation, type IndexShardWriter } from '../../domain/vq/index.js';

export interface IndexerDeps {
  store: ObjectStore;
  shards: number;
  /** The embedder whose vectors this index holds (embedderKey): an upsert without its vector reads the item's by it. */
  embedderKey: string;
  /** That embedder's dimension: a carried vector of another size is not its own. */
  dimension: number;
  /** The one writer of a shard, kept across batches (it caches the loaded index). */
  writerFor(shard: string): IndexShardWriter;
}

/** An update as it arrived: the caller's handle on it (an SQS message) travels with it to the shard's result. */
export interface ReceivedUpdate {
  update: IndexUpdate;
}

interface ShardCommit<Received extends ReceivedUpdate> {
  shard: string;
  upserts: number;
  deletes: number;
  result: CommitResult;
  /** The updates this commit applied, in order. */
  received: Received[];
}

/** A shard whose updates were not committed (a lost race retried to exhaustion, S3 trouble): all of them must be retried. */
interface ShardFailure<Received extends ReceivedUpdate> {
  shard: string;
  error: unknown;
  received: Received[];
}

export interface AppliedUpdates<Received extends ReceivedUpdate> {
  commits: ShardCommit<Received>[];
  failures: ShardFailure<Received>[];
}

/**
 * Applies a batch of index updates, in order, as one commit per shard. Shards
 * succeed or fail on their own, so one shard's trouble never holds back
 * another's updates. An upsert uses the vector it carries when that is the
 * embedder's own; otherwise it reads items/<id>/embeddings/<embedder key>.f32,
 * and when that is gone the item was deleted after the update was sent, so it
 * is applied as a delete. Re-delivered updates change nothing (same vector, same entry).
 */
export async function applyIndexUpdates<Received extends ReceivedUpdate>(
  deps: IndexerDeps,
  batch: readonly Received[],
): Promise<AppliedUpdates<Received>> {
  const applied: AppliedUpdates<Received> = { commits: [], failures: [] };
  for (const [shard, received] of groupByShard(batch, ({ update }) => update.itemId, deps.shards)) {
    try {
      const operations = await pLimit(pipelineConfig.vq.storage.fetchConcurrency).map(received, ({ update }) => toOperation(deps, update));
      const result = await deps.writerFor(shard).apply(operations);
      const upserts = operations.filter((operation) => operation.op === 'upsert').length;
      applied.commits.push({ shard, upserts, deletes: operations.length - upserts, result, received });
    } catch (error) {
      applied.failures.push({ shard, error, received });
    }
  }
  return applied;
}

async function toOperation({ store, embedderKey, dimension }: IndexerDeps, update: IndexUpdate): Promise<IndexOperation> {
  if (update.op === 'delete') return { op: 'delete', id: update.itemId };
  const { vector } = update;
  if (vector?.embedderKey === embedderKey && vector.values.length === dimension)
    return { op: 'upsert', id: update.itemId, vector: vector.values };
  const bytes = await store.getBytes(itemKeys.embedding(update.itemId, embedderKey));
  return bytes ? { op: 'upsert', id: update.itemId, vector: decodeEmbedding(bytes) } : { op: 'delete', id: update.itemId };
}
