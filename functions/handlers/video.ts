import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
// Not through embed/index.js, which also loads onnxruntime-node: see functions/video/processVideo.ts.
import { createDefaultEmbedder } from '../embed/defaultEmbedder.js';
import { parseVideoJobMessage, UnrecognisedMessageError } from '../events/index.js';
import { ingestVideoUpload, recordRetriesExhausted, videoWorkDirPrefix, writeErrorRecord, type VideoIngestDeps } from '../ingest/index.js';
import { withFaultSwitch } from '../faults/index.js';
import { isUploadKey, type ObjectStore } from '../items/index.js';
import { createPipelineMetrics, observeInvocation, observeUpload } from '../observability/index.js';
import { createS3Client, createSqsClient, S3ObjectStore, SqsIndexUpdateQueue } from '../store/index.js';
import { resolveFfmpegBinaries } from '../video/index.js';

export interface VideoHandlerDeps extends VideoIngestDeps {
  /** The video queue's maxReceiveCount: on the last receive a failure is recorded before the DLQ takes it. */
  maxReceiveCount: number;
  logger?: Logger;
  /** Embedded-format metrics (functions/observability); the local mode runs without. */
  metrics?: Metrics;
  /**
   * Lambda only (one invocation per environment at a time): remove job folders
   * an invocation killed by its timeout left in /tmp, so they cannot fill it.
   */
  clearStaleWorkDirs?: boolean;
}

export type VideoHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** One handler per execution environment, as for ingest. */
export function createVideoHandler(deps: VideoHandlerDeps): VideoHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'video' });
  const telemetry = { logger, metrics: deps.metrics };
  const processor = new BatchProcessor(EventType.SQS);
  const now = deps.now ?? (() => new Date());
  const ingestDeps: VideoIngestDeps = { ...deps, onProgress: (progress) => logger.info('video progress', { ...progress }) };

  async function handleRecord(record: SQSRecord, context: Context): Promise<void> {
    let key: string;
    try {
      key = parseVideoJobMessage(record.body).key;
    } catch (error) {
      if (!(error instanceof UnrecognisedMessageError)) throw error;
      await writeErrorRecord(deps.store, `(video queue message ${record.messageId})`, { code: error.code, reason: error.message, bytes: null }, now());
      return logger.warn('unrecognised message', { messageId: record.messageId, reason: error.message });
    }
    if (!isUploadKey(key)) return logger.warn('video job outside the uploads prefix ignored', { key });
    try {
      await observeUpload(telemetry, { action: 'video', uploadKey: key, messageId: record.messageId }, () =>
        ingestVideoUpload(ingestDeps, { key }, { deadlineMs: Date.now() + context.getRemainingTimeInMillis() }),
      );
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (receiveCount >= deps.maxReceiveCount) {
        const message = error instanceof Error ? error.message : String(error);
        const reason = `processing failed ${receiveCount} times (last error: ${message}); the job was moved to the dead-letter queue`;
        await recordRetriesExhausted(deps.store, key, reason, now()).catch((writeError: unknown) =>
          logger.error('could not write error record', { key, writeError }),
        );
      }
      throw error;
    }
  }

  return (event, context) =>
    observeInvocation(telemetry, context, async () => {
      if (deps.clearStaleWorkDirs) await clearStaleWorkDirs();
      return processPartialResponse(event, handleRecord, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
    });
}

async function clearStaleWorkDirs(): Promise<void> {
  const root = tmpdir();
  const stale = (await readdir(root)).filter((name) => name.startsWith(videoWorkDirPrefix));
  await Promise.all(stale.map((name) => rm(join(root, name), { recursive: true, force: true })));
}

/** `wrapStore` is the fault switch's (functions/faults), the identity unless the environment sets a fault plan. */
function depsFromEnvironment(wrapStore: (store: ObjectStore) => ObjectStore): VideoHandlerDeps {
  const env = readLambdaEnv(process.env);
  return {
    store: wrapStore(new S3ObjectStore(createS3Client(), env.mediaBucket)),
    limits: pipelineConfig.image,
    video: pipelineConfig.video,
    embedder: createDefaultEmbedder(),
    maxKeyframes: pipelineConfig.embedding.maxKeyframes,
    binaries: resolveFfmpegBinaries(),
    maxReceiveCount: pipelineConfig.video.maxReceiveCount,
    metrics: createPipelineMetrics('video'),
    clearStaleWorkDirs: true,
    ...(env.indexQueueUrl ? { indexUpdates: new SqsIndexUpdateQueue(createSqsClient(), env.indexQueueUrl, pipelineConfig.vq.shards) } : {}),
  };
}

let environmentHandler: VideoHandler | undefined;

/** The Lambda entry point: dependencies come from the environment the stack sets (ffmpeg from the layer). */
export const handler: VideoHandler = (event, context) => (environmentHandler ??= withFaultSwitch(process.env, (wrapStore) => createVideoHandler(depsFromEnvironment(wrapStore))))(event, context);
