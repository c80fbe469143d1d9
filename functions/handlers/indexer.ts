import { queueStages, pipelineConfig } from '../config/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { S3IndexStorage, S3ObjectStore } from '../adapters/store/index.js';
import { createIndexerHandler, type IndexerHandlerDeps } from './indexQueueWorker.js';
import { handlerWhenReady, lambdaSqsEntry, type StageWiring } from './stageWiring.js';

/** The indexer's dependencies: the items' embeddings and the index under index/, in the media bucket. */
export async function indexerDeps(wiring: StageWiring): Promise<IndexerHandlerDeps> {
  const { env, s3 } = wiring;
  return {
    store: wiring.wrapStore(new S3ObjectStore(s3, env.mediaBucket)),
    storage: new S3IndexStorage(s3, env.mediaBucket, wiring.conditionalWrites),
    shards: pipelineConfig.vq.shards,
    embedder: await wiring.embedder(),
    ...(wiring.logger ? { logger: wiring.logger } : {}),
    ...(wiring.metrics ? { metrics: wiring.metrics } : {}),
  };
}

export const buildIndexerHandler = (wiring: StageWiring): SqsHandler =>
  handlerWhenReady(async () => createIndexerHandler(await indexerDeps(wiring)));

/** The Lambda entry point. */
export const handler: SqsHandler = lambdaSqsEntry(queueStages.index, buildIndexerHandler);
