import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
import { createDefaultEmbedder } from '../embed/defaultEmbedder.js';
import type { EmbedderInfo } from '../embed/types.js';
import { parseIndexUpdateMessage, UnrecognisedMessageError } from '../events/index.js';
import type { IndexUpdate } from '../ingest/index.js';
import type { ObjectStore } from '../items/index.js';
import { countError, createPipelineMetrics, metricNames, observeInvocation, retryableFailure } from '../observability/index.js';
import { applyIndexUpdates } from '../retrieval/index.js';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../store/index.js';
import { CommitConflictError, IndexShardWriter, shardOfItem, type IndexStorage } from '../vq/index.js';

export interface IndexerHandlerDeps {
  store: ObjectStore;
  storage: IndexStorage;
  shards: number;
  /** The model every stored embedding came from; a shard built by another refuses the update. */
  embedder: EmbedderInfo;
  logger?: Logger;
  /** Embedded-format metrics (functions/observability); the local mode runs without. */
  metrics?: Metrics;
}

export type IndexerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The one writer of each shard (FIFO message group = shard). A batch becomes
 * one commit per shard; when a shard's commit fails (a lost race retried to
 * exhaustion, S3 trouble) that shard's messages are reported as batch item
 * failures and come back in order, which is safe because applying the same
 * updates again changes nothing. The other shards' commits stand.
 */
export function createIndexerHandler(deps: IndexerHandlerDeps): IndexerHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'indexer' });
  const telemetry = { logger, metrics: deps.metrics };
  const writers = new Map<string, IndexShardWriter>();
  const writerFor = (shard: string) => {
    let writer = writers.get(shard);
    if (!writer) {
      writer = new IndexShardWriter(deps.storage, {
        shard,
        config: { ...pipelineConfig.vq.index, dimension: deps.embedder.dimension },
        embedder: { name: deps.embedder.name, version: deps.embedder.version, dimension: deps.embedder.dimension },
      });
      writers.set(shard, writer);
    }
    return writer;
  };

  return (event, context) => observeInvocation(telemetry, context, async () => {
    const received: { messageId: string; update: IndexUpdate }[] = [];
    for (const record of event.Records) {
      try {
        received.push({ messageId: record.messageId, update: parseIndexUpdateMessage(record.body) });
      } catch (error) {
        if (!(error instanceof UnrecognisedMessageError)) throw error;
        // Retrying cannot make it parse: drop it, loudly.
        logger.warn('unrecognised message', { messageId: record.messageId, reason: error.message });
        countError(deps.metrics, error.code);
      }
    }
    const shardOf = (update: IndexUpdate) => shardOfItem(update.itemId, deps.shards);
    const itemIdsOf = (shard: string) => received.filter(({ update }) => shardOf(update) === shard).map(({ update }) => update.itemId);
    const { commits, failures } = await applyIndexUpdates({ store: deps.store, shards: deps.shards, writerFor }, received.map(({ update }) => update));
    for (const { shard, upserts, deletes, result } of commits) {
      logger.info('shard committed', { shard, itemIds: itemIdsOf(shard), upserts, deletes, changed: result.changed, generation: result.generation, attempts: result.attempts, compacted: result.compacted });
      deps.metrics?.addMetric(metricNames.indexUpdatesApplied, MetricUnit.Count, upserts + deletes);
    }
    // A failed shard's messages all go back (FIFO keeps their order within the group); other shards' are done.
    for (const { shard, error } of failures) {
      // Lost races are expected under contention and retried; anything else is worth an error line.
      const lostRaces = error instanceof CommitConflictError;
      logger[lostRaces ? 'warn' : 'error']('shard not committed; its updates will be retried', { shard, itemIds: itemIdsOf(shard), error });
      countError(deps.metrics, lostRaces ? error.name : retryableFailure);
    }
    const failedShards = new Set(failures.map((failure) => failure.shard));
    return { batchItemFailures: received.filter(({ update }) => failedShards.has(shardOf(update))).map(({ messageId }) => ({ itemIdentifier: messageId })) };
  });
}

function depsFromEnvironment(): IndexerHandlerDeps {
  const env = readLambdaEnv(process.env);
  const s3 = createS3Client();
  return {
    store: new S3ObjectStore(s3, env.mediaBucket),
    storage: new S3IndexStorage(s3, env.mediaBucket, 'native'),
    shards: pipelineConfig.vq.shards,
    embedder: createDefaultEmbedder(),
    metrics: createPipelineMetrics('indexer'),
  };
}

let environmentHandler: IndexerHandler | undefined;

/** The Lambda entry point: dependencies come from the environment the stack sets. */
export const handler: IndexerHandler = (event, context) => (environmentHandler ??= createIndexerHandler(depsFromEnvironment()))(event, context);
