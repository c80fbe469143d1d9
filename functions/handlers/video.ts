import { pipelineConfig, queueStages } from '../config/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { S3ObjectStore, SqsIndexUpdateQueue } from '../adapters/store/index.js';
import { resolveFfmpegBinaries } from '../domain/video/index.js';
import { handlerWhenReady, lambdaSqsEntry, type StageWiring } from './stageWiring.js';
import { createVideoHandler, type VideoHandlerDeps } from './videoWorker.js';

/** The video stage's dependencies; ffmpeg is the layer's on Lambda, the npm installers' locally. */
export async function videoDeps(wiring: StageWiring): Promise<VideoHandlerDeps> {
  const { env, s3, sqs } = wiring;
  return {
    store: wiring.wrapStore(new S3ObjectStore(s3, env.mediaBucket)),
    limits: pipelineConfig.image,
    video: pipelineConfig.video,
    embedder: await wiring.embedder(),
    maxKeyframes: pipelineConfig.embedding.maxKeyframes,
    binaries: resolveFfmpegBinaries(),
    maxReceiveCount: queueStages.video.queue.maxReceiveCount,
    clearStaleWorkDirs: wiring.inLambda,
    ...(wiring.logger ? { logger: wiring.logger } : {}),
    ...(wiring.metrics ? { metrics: wiring.metrics } : {}),
    ...(env.indexQueueUrl ? { indexUpdates: new SqsIndexUpdateQueue(sqs, env.indexQueueUrl, pipelineConfig.vq.shards) } : {}),
  };
}

export const buildVideoHandler = (wiring: StageWiring): SqsHandler =>
  handlerWhenReady(async () => createVideoHandler(await videoDeps(wiring)));

/** The Lambda entry point. */
export const handler: SqsHandler = lambdaSqsEntry(queueStages.video, buildVideoHandler);
