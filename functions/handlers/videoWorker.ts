import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseVideoJobMessage } from '../adapters/events/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { clearVideoWorkDirs, ingestVideoUpload, type VideoIngestDeps } from '../stages/video/index.js';
import { isUploadKey } from '../domain/items/index.js';
import { observeUpload } from '../adapters/observability/index.js';
import { createUploadQueueWorker } from './uploadQueueWorker.js';

export interface VideoHandlerDeps extends VideoIngestDeps {
  /** The video queue's maxReceiveCount: on the last receive a failure is recorded before the DLQ takes it. */
  maxReceiveCount: number;
  logger?: Logger;
  /** Embedded-format metrics (functions/adapters/observability); the local mode runs without. */
  metrics?: Metrics;
  /**
   * Lambda only (one invocation per environment at a time): remove job folders
   * an invocation killed by its timeout left in /tmp, so they cannot fill it.
   */
  clearStaleWorkDirs?: boolean;
}

/** One handler per execution environment, as for ingest. */
export function createVideoHandler(deps: VideoHandlerDeps): SqsHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'video' });
  const telemetry = { logger, metrics: deps.metrics };
  const ingestDeps: VideoIngestDeps = { ...deps, onProgress: (progress) => logger.info('video progress', { ...progress }) };
  return createUploadQueueWorker({
    store: deps.store,
    maxReceiveCount: deps.maxReceiveCount,
    logger,
    metrics: deps.metrics,
    now: deps.now ?? (() => new Date()),
    queueName: 'video queue',
    messageNoun: 'job',
    parse: parseVideoJobMessage,
    uploadKeysOf: ({ key }) => (isUploadKey(key) ? [key] : []),
    async process({ key }, record, context) {
      if (!isUploadKey(key)) return logger.warn('video job outside the uploads prefix ignored', { key });
      await observeUpload(telemetry, { action: 'video', uploadKey: key, messageId: record.messageId }, () =>
        ingestVideoUpload(ingestDeps, { key }, { deadlineMs: Date.now() + context.getRemainingTimeInMillis() }),
      );
    },
    ...(deps.clearStaleWorkDirs ? { beforeBatch: () => clearVideoWorkDirs() } : {}),
  });
}
