import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseIngestMessage, type IngestCommand } from '../adapters/events/index.js';
import type { SqsHandler } from '../adapters/faults/index.js';
import { ingestUpload, type IngestDeps, type IngestOutcome, type RemoveOutcome } from '../stages/ingest/index.js';
import { removeUpload } from '../stages/removal/index.js';
import { isUploadKey } from '../domain/items/index.js';
import { observeUpload } from '../adapters/observability/index.js';
import { createUploadQueueWorker } from './uploadQueueWorker.js';

export interface IngestHandlerDeps extends IngestDeps {
  /** The queue's maxReceiveCount: on the last receive a failure is recorded before the DLQ takes it. */
  maxReceiveCount: number;
  logger?: Logger;
  /** Embedded-format metrics (functions/adapters/observability); the local mode runs without. */
  metrics?: Metrics;
}

/**
 * One handler per execution environment: the batch processor keeps per-invocation
 * state, so concurrent local workers each create their own, as Lambda would.
 */
export function createIngestHandler(deps: IngestHandlerDeps): SqsHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'ingest' });
  const telemetry = { logger, metrics: deps.metrics };
  return createUploadQueueWorker<IngestCommand[]>({
    store: deps.store,
    maxReceiveCount: deps.maxReceiveCount,
    logger,
    metrics: deps.metrics,
    now: deps.now ?? (() => new Date()),
    queueName: 'ingest queue',
    messageNoun: 'event',
    parse: parseIngestMessage,
    uploadKeysOf: (commands) => commands.flatMap((command) => (command.action === 'test-event' ? [] : [command.key])),
    async process(commands, record) {
      for (const command of commands) {
        if (command.action === 'test-event') {
          logger.info('s3:TestEvent received', { bucket: command.bucket });
        } else if (!isUploadKey(command.key)) {
          logger.warn('event outside the uploads prefix ignored', { key: command.key });
        } else {
          const run = () => (command.action === 'created' ? ingestUpload(deps, { key: command.key }) : removeUpload(deps, command.key));
          await observeUpload<IngestOutcome | RemoveOutcome>(
            telemetry,
            { action: command.action, uploadKey: command.key, messageId: record.messageId },
            run,
          );
        }
      }
    },
  });
}
