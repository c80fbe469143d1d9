import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSRecord } from 'aws-lambda';
import { UnrecognisedMessageError } from '../adapters/events/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { recordRetriesExhausted, writeErrorRecord } from '../stages/ingest/index.js';
import type { ObjectStore } from '../domain/items/index.js';
import { observeInvocation } from '../adapters/observability/index.js';

export interface UploadQueueWorkerOptions<Message> {
  store: ObjectStore;
  /** The queue's maxReceiveCount: on the last receive a failure is recorded before the DLQ takes the message. */
  maxReceiveCount: number;
  logger: Logger;
  metrics?: Metrics;
  now: () => Date;
  /** Named in the error record of a message that does not parse: 'ingest queue', 'video queue'. */
  queueName: string;
  /** What the dead-letter queue takes, in the last failure's reason: 'event', 'job'. */
  messageNoun: string;
  /** Throws UnrecognisedMessageError for a body no retry can make sense of. */
  parse(body: string): Message;
  /** The upload keys a message is about: each gets an error record when its retries run out. */
  uploadKeysOf(message: Message): string[];
  process(message: Message, record: SQSRecord, context: Context): Promise<void>;
  /** Runs before each batch (the video worker clears what killed invocations left in /tmp). */
  beforeBatch?: () => Promise<void>;
}

/**
 * The poison-message policy of the queues that carry uploads (ingest, video):
 * a message that cannot parse gets an error record once and is let go; a
 * message that fails is retried by SQS, and on its last receive each of its
 * uploads gets an error record saying why before the dead-letter queue takes
 * it. Records are processed one at a time and failures reported per record.
 */
export function createUploadQueueWorker<Message>(options: UploadQueueWorkerOptions<Message>): SqsHandler {
  const { store, logger, now } = options;
  const processor = new BatchProcessor(EventType.SQS);

  async function handleRecord(record: SQSRecord, context: Context): Promise<void> {
    let message: Message;
    try {
      message = options.parse(record.body);
    } catch (error) {
      if (!(error instanceof UnrecognisedMessageError)) throw error;
      // Retrying cannot make it parse: record it once and let the message go.
      await writeErrorRecord(
        store,
        `(${options.queueName} message ${record.messageId})`,
        { code: error.code, reason: error.message, bytes: null },
        now(),
      );
      return logger.warn('unrecognised message', { messageId: record.messageId, reason: error.message });
    }
    try {
      await options.process(message, record, context);
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (receiveCount >= options.maxReceiveCount) await recordLastFailure(options.uploadKeysOf(message), receiveCount, error);
      throw error;
    }
  }

  async function recordLastFailure(keys: string[], receiveCount: number, error: unknown): Promise<void> {
    const lastError = error instanceof Error ? error.message : String(error);
    const reason = `processing failed ${receiveCount} times (last error: ${lastError}); the ${options.messageNoun} was moved to the dead-letter queue`;
    for (const key of keys) {
      await recordRetriesExhausted(store, key, reason, now()).catch((writeError: unknown) =>
        logger.error('could not write error record', { key, writeError }),
      );
    }
  }

  return (event, context) =>
    observeInvocation({ logger, metrics: options.metrics }, context, async () => {
      await options.beforeBatch?.();
      return processPartialResponse(event, handleRecord, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
    });
}
