import { pipelineConfig, queueStages } from '../config/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { S3ObjectStore, SqsIndexUpdateQueue, SqsVideoJobQueue } from '../adapters/store/index.js';
import { handlerWhenReady, lambdaSqsEntry, type StageWiring } from './stageWiring.js';
import { createIngestHandler, type IngestHandlerDeps } from './ingestWorker.js';

/** The ingest stage's dependencies, from the wiring the Lambda entry point or the local mode gives. */
export async function ingestDeps(wiring: StageWiring): Promise<IngestHandlerDeps> {
  const { env, s3, sqs } = wiring;
  return {
    store: wiring.wrapStore(new S3ObjectStore(s3, env.mediaBucket)),
    limits: pipelineConfig.image,
    maxReceiveCount: queueStages.ingest.queue.maxReceiveCount,
    embedder: await wiring.embedder(),
    ...(wiring.logger ? { logger: wiring.logger } : {}),
    ...(wiring.metrics ? { metrics: wiring.metrics } : {}),
    ...(env.videoQueueUrl ? { videoJobs: new SqsVideoJobQueue(sqs, env.videoQueueUrl) } : {}),
    ...(env.indexQueueUrl ? { indexUpdates: new SqsIndexUpdateQueue(sqs, env.indexQueueUrl, pipelineConfig.vq.shards) } : {}),
  };
}

export const buildIngestHandler = (wiring: StageWiring): SqsHandler =>
  handlerWhenReady(async () => createIngestHandler(await ingestDeps(wiring)));

/** The Lambda entry point. */
export const handler: SqsHandler = lambdaSqsEntry(queueStages.ingest, buildIngestHandler);
