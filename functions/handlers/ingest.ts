import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
import { parseIngestMessage, UnrecognisedMessageError, type IngestCommand } from '../events/index.js';
import { ingestUpload, recordRetriesExhausted, removeUpload, writeErrorRecord, type IngestDeps, type IngestOutcome, type RemoveOutcome } from '../ingest/index.js';
import { withFaultSwitch } from '../faults/index.js';
import { isUploadKey, type ObjectStore } from '../items/index.js';
import { createPipelineMetrics, observeInvocation, observeUpload } from '../observability/index.js';
import { createS3Client, createSqsClient, S3ObjectStore, SqsIndexUpdateQueue, SqsVideoJobQueue } from '../store/index.js';

export interface IngestHandlerDeps extends IngestDeps {
  /** The queue's maxReceiveCount: on the last receive a failure is recorded before the DLQ takes it. */
  maxReceiveCount: number;
  logger?: Logger;
  /** Embedded-format metrics (functions/observability); the local mode runs without. */
  metrics?: Metrics;
}

export type IngestHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * One handler per execution environment: the batch processor keeps per-invocation
 * state, so concurrent local workers each create their own, as Lambda would.
 */
export function createIngestHandler(deps: IngestHandlerDeps): IngestHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'ingest' });
  const telemetry = { logger, metrics: deps.metrics };
  const processor = new BatchProcessor(EventType.SQS);
  const now = deps.now ?? (() => new Date());

  async function runCommand(command: IngestCommand, messageId: string): Promise<void> {
    if (command.action === 'test-event') return logger.info('s3:TestEvent received', { bucket: command.bucket });
    if (!isUploadKey(command.key)) return logger.warn('event outside the uploads prefix ignored', { key: command.key });
    await observeUpload<IngestOutcome | RemoveOutcome>(telemetry, { action: command.action, uploadKey: command.key, messageId }, () =>
      command.action === 'created' ? ingestUpload(deps, { key: command.key }) : removeUpload(deps, command.key),
    );
  }

  async function handleRecord(record: SQSRecord): Promise<void> {
    let commands: IngestCommand[];
    try {
      commands = parseIngestMessage(record.body);
    } catch (error) {
      if (!(error instanceof UnrecognisedMessageError)) throw error;
      // Retrying cannot make it parse: record it once and let the message go.
      const key = `(ingest queue message ${record.messageId})`;
      await writeErrorRecord(deps.store, key, { code: error.code, reason: error.message, bytes: null }, now());
      return logger.warn('unrecognised message', { messageId: record.messageId, reason: error.message });
    }
    try {
      for (const command of commands) await runCommand(command, record.messageId);
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (receiveCount >= deps.maxReceiveCount) await recordLastFailure(commands, receiveCount, error);
      throw error;
    }
  }

  async function recordLastFailure(commands: IngestCommand[], receiveCount: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const reason = `processing failed ${receiveCount} times (last error: ${message}); the event was moved to the dead-letter queue`;
    for (const command of commands) {
      if (command.action === 'test-event') continue;
      await recordRetriesExhausted(deps.store, command.key, reason, now()).catch(
        (writeError: unknown) => logger.error('could not write error record', { key: command.key, writeError }),
      );
    }
  }

  return (event, context) =>
    observeInvocation(telemetry, context, () =>
      processPartialResponse(event, handleRecord, processor, {
        context,
        processInParallel: false,
        throwOnFullBatchFailure: false,
      }),
    );
}

/** `wrapStore` is the fault switch's (functions/faults), the identity unless the environment sets a fault plan. */
function depsFromEnvironment(wrapStore: (store: ObjectStore) => ObjectStore): IngestHandlerDeps {
  const env = readLambdaEnv(process.env);
  return {
    store: wrapStore(new S3ObjectStore(createS3Client(), env.mediaBucket)),
    limits: pipelineConfig.image,
    maxReceiveCount: pipelineConfig.ingest.maxReceiveCount,
    metrics: createPipelineMetrics('ingest'),
    ...(env.videoQueueUrl ? { videoJobs: new SqsVideoJobQueue(createSqsClient(), env.videoQueueUrl) } : {}),
    ...(env.indexQueueUrl ? { indexUpdates: new SqsIndexUpdateQueue(createSqsClient(), env.indexQueueUrl, pipelineConfig.vq.shards) } : {}),
  };
}

let environmentHandler: IngestHandler | undefined;

/** The Lambda entry point: dependencies come from the environment the stack sets. */
export const handler: IngestHandler = (event, context) =>
  (environmentHandler ??= withFaultSwitch(process.env, (wrapStore) => createIngestHandler(depsFromEnvironment(wrapStore))))(event, context);
