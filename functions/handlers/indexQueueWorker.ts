import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { pipelineConfig } from '../config/index.js';
import { embedderKey, type EmbedderInfo } from '../domain/embed/index.js';
import type { ObjectStore } from '../domain/items/index.js';
import { CommitConflictError, IndexShardWriter, scopedIndexStorage, type IndexStorage } from '../domain/vq/index.js';
import { parseIndexUpdateMessage, UnrecognisedMessageError } from '../adapters/events/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { countError, metricNames, observeInvocation, retryableFailure } from '../adapters/observability/index.js';
import type { IndexUpdate } from '../stages/ingest/index.js';
import { applyIndexUpdates, pinActiveGeneration } from '../stages/retrieval/index.js';

export interface IndexerHandlerDeps {
  store: ObjectStore;
  /** All of index/: the writer keeps to its embedder's folder and pins index/active.json before its first commit. */
  storage: IndexStorage;
  shards: number;
  /** The model every stored embedding came from; a shard built by another refuses the update. */
  embedder: EmbedderInfo;
  logger?: Logger;
  /** Embedded-format metrics (functions/adapters/observability); the local mode runs without. */
  metrics?: Metrics;
}

/**
 * The one writer of each shard (FIFO message group = shard). A batch becomes
 * one commit per shard; when a shard's commit fails (a lost race retried to
 * exhaustion, S3 trouble) that shard's messages are reported as batch item
 * failures and come back in order, which is safe because applying the same
 * updates again changes nothing. The other shards' commits stand.
 */
export function createIndexerHandler(deps: IndexerHandlerDeps): SqsHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'indexer' });
  const writers = new Map<string, IndexShardWriter>();
  const { name, version, dimension } = deps.embedder;
  const key = embedderKey(deps.embedder);
  const storage = scopedIndexStorage(deps.storage, key);
  let pinned: Promise<unknown> | undefined;
  const writerFor = (shard: string) => {
    let writer = writers.get(shard);
    if (!writer) {
      writer = new IndexShardWriter(storage, {
        shard,
        config: { ...pipelineConfig.vq.index, dimension },
        embedder: { name, version, dimension },
      });
      writers.set(shard, writer);
    }
    return writer;
  };
  const itemIdsOf = (received: { update: IndexUpdate }[]) => received.map(({ update }) => update.itemId);

  return (event, context) =>
    observeInvocation({ logger, metrics: deps.metrics }, context, async () => {
      const batch: { messageId: string; update: IndexUpdate }[] = [];
      for (const record of event.Records) {
        try {
          // A message carries several updates of its shard: each travels with its message, which is retried whole.
          for (const update of parseIndexUpdateMessage(record.body)) batch.push({ messageId: record.messageId, update });
        } catch (error) {
          if (!(error instanceof UnrecognisedMessageError)) throw error;
          // Retrying cannot make it parse: drop it, loudly.
          logger.warn('unrecognised message', { messageId: record.messageId, reason: error.message });
          countError(deps.metrics, error.code);
        }
      }
      pinned ??= pinActiveGeneration(deps.storage, deps.embedder, deps.shards).catch((error: unknown) => {
        pinned = undefined;
        throw error;
      });
      await pinned;
      const { commits, failures } = await applyIndexUpdates(
        { store: deps.store, shards: deps.shards, embedderKey: key, dimension, writerFor },
        batch,
      );
      for (const { shard, upserts, deletes, result, received } of commits) {
        const { changed, generation, attempts, objectsWritten } = result;
        logger.info('shard committed', {
          shard,
          itemIds: itemIdsOf(received),
          upserts,
          deletes,
          changed,
          generation,
          attempts,
          objectsWritten,
        });
        deps.metrics?.addMetric(metricNames.indexUpdatesApplied, MetricUnit.Count, upserts + deletes);
      }
      for (const { shard, error, received } of failures) {
        // Lost races are expected under contention and retried; anything else is worth an error line.
        const lostRace = error instanceof CommitConflictError;
        logger[lostRace ? 'warn' : 'error']('shard not committed; its updates will be retried', {
          shard,
          itemIds: itemIdsOf(received),
          error,
        });
        countError(deps.metrics, lostRace ? error.name : retryableFailure);
      }
      // A failed shard's messages all go back (FIFO keeps their order within the group); other shards' are done.
      const retried = new Set(failures.flatMap(({ received }) => received.map(({ messageId }) => messageId)));
      return {
        batchItemFailures: event.Records.filter(({ messageId }) => retried.has(messageId)).map(({ messageId }) => ({
          itemIdentifier: messageId,
        })),
      };
    });
}
