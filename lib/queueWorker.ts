import { Duration } from 'aws-cdk-lib';
import type { ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueStage } from '../functions/config/index.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';

export class VisibilityTimeoutTooShortError extends Error {
  constructor(visibilityTimeoutSeconds: number, consumerTimeoutSeconds: number, configSection: string) {
    super(
      `${configSection} queue visibility timeout ${visibilityTimeoutSeconds}s is less than 6x the function timeout ` +
        `(${consumerTimeoutSeconds}s); a message could reappear while it is still being processed. ` +
        `Raise ${configSection}.visibilityTimeoutSeconds in functions/config/pipelineConfig.ts.`,
    );
    this.name = 'VisibilityTimeoutTooShortError';
  }
}

/** AWS guidance for Lambda event source mappings on SQS. */
const minVisibilityToTimeoutRatio = 6;

export interface QueueWorkerProps {
  /** The row of functions/config/stageTable.ts this worker is built from. */
  stage: QueueStage;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  layers?: ILayerVersion[];
  /** Instead of the stage's own (a model of your own needs more). */
  memoryMb?: number;
  /** Left out of the bundle besides the stage's own: what a layer provides. */
  externalModules?: string[];
}

/**
 * One stage of the pipeline as deployed: a work queue, the dead-letter queue a
 * message moves to after the stage's receives, and the function that consumes
 * the queue in batches with partial failures reported.
 */
export class QueueWorker extends Construct {
  readonly stage: QueueStage;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: PipelineFunction;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    const { stage } = props;
    const { queue, consumer } = stage;
    if (queue.visibilityTimeoutSeconds < minVisibilityToTimeoutRatio * consumer.timeoutSeconds) {
      throw new VisibilityTimeoutTooShortError(queue.visibilityTimeoutSeconds, consumer.timeoutSeconds, stage.configSection);
    }
    this.stage = stage;
    const fifo = queue.fifo ? { fifo: true } : {};
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...fifo,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(queue.deadLetterRetentionDays),
    });
    this.queue = new Queue(this, 'Queue', {
      // Repeats are harmless (every consumer is idempotent) and an index upsert after a delete must never be dropped.
      ...(queue.fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(queue.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: queue.maxReceiveCount },
    });

    this.function = new PipelineFunction(this, 'Function', {
      entry: repoPaths.handler(consumer.handlerModule),
      description: consumer.description,
      memoryMb: props.memoryMb ?? consumer.memoryMb,
      timeoutSeconds: consumer.timeoutSeconds,
      ...(consumer.ephemeralStorageMb === undefined ? {} : { ephemeralStorageMb: consumer.ephemeralStorageMb }),
      environment: props.environment,
      logRetention: props.logRetention,
      ...(consumer.nodeModules ? { nodeModules: [...consumer.nodeModules] } : {}),
      ...(consumer.externalModules || props.externalModules
        ? { externalModules: [...(consumer.externalModules ?? []), ...(props.externalModules ?? [])] }
        : {}),
      ...(props.layers ? { layers: props.layers } : {}),
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: consumer.batchSize,
        reportBatchItemFailures: true,
        ...(consumer.maxBatchingWindowSeconds === undefined
          ? {}
          : { maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds) }),
        ...(consumer.maxConcurrency === undefined ? {} : { maxConcurrency: consumer.maxConcurrency }),
      }),
    );
  }
}
