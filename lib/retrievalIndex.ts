import { Duration } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { lambdaEnvNames, pipelineConfig } from '../functions/config/index.js';
import { grantPrefixAccess } from './grantPrefixAccess.js';
import { VisibilityTimeoutTooShortError } from './ingestQueue.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';

export interface RetrievalIndexProps {
  mediaBucket: IBucket;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Functions that complete or delete items and announce them to the index (ingest, video). */
  announcers: PipelineFunction[];
  /** Functions that search the index (the API). */
  readers: IGrantable[];
}

/**
 * The streaming-VQ retrieval index: a FIFO queue of index updates whose
 * message groups are the shards, so each shard has exactly one writer, and the
 * indexer function that applies them to index/<shard>/ in the media bucket
 * (immutable segments, a manifest written with If-Match / If-None-Match).
 */
export class RetrievalIndex extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: PipelineFunction;

  constructor(scope: Construct, id: string, props: RetrievalIndexProps) {
    super(scope, id);
    const { indexer, vq, prefixes } = pipelineConfig;
    if (indexer.visibilityTimeoutSeconds < 6 * indexer.timeoutSeconds) {
      throw new VisibilityTimeoutTooShortError(indexer.visibilityTimeoutSeconds, indexer.timeoutSeconds, 'indexer');
    }
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(indexer.deadLetterRetentionDays),
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      // Repeats are harmless (the indexer is idempotent) and an upsert after a delete must never be dropped.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(indexer.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: indexer.maxReceiveCount },
    });

    this.function = new PipelineFunction(this, 'Function', {
      entry: repoPaths.indexerHandler,
      description: 'Applies index updates to the streaming-VQ index under index/ (one writer per shard)',
      memoryMb: indexer.memoryMb,
      timeoutSeconds: indexer.timeoutSeconds,
      environment: props.environment,
      logRetention: props.logRetention,
      // The default embedder module (its name, version and dimension) imports sharp.
      nodeModules: ['sharp'],
    });
    // One writer per shard comes from the FIFO message groups: Lambda never runs two batches of one group at once,
    // so no concurrency cap is needed (one would only serialise shards). A failed shard reports its messages alone.
    this.function.addEventSource(new SqsEventSource(this.queue, { batchSize: indexer.batchSize, reportBatchItemFailures: true }));
    // Reads the vectors ingest wrote; owns index/ (conditional manifest writes, segment garbage collection).
    grantPrefixAccess(props.mediaBucket, this.function, { read: [`${prefixes.items}*/embedding.f32`], write: [`${vq.prefix}*`] });

    for (const announcer of props.announcers) {
      this.queue.grantSendMessages(announcer);
      announcer.addEnvironment(lambdaEnvNames.indexQueueUrl, this.queue.queueUrl);
    }
    for (const reader of props.readers) grantPrefixAccess(props.mediaBucket, reader, { read: [`${vq.prefix}*`] });
  }
}
