import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig } from '../functions/config/index.js';

const secondsPerDay = 24 * 60 * 60;

export interface LocalQueue {
  url: string;
  arn: string;
}

export interface LocalResources {
  mediaBucket: string;
  ingestQueue: LocalQueue;
  ingestDeadLetterQueue: LocalQueue;
  videoQueue: LocalQueue;
  videoDeadLetterQueue: LocalQueue;
  indexQueue: LocalQueue;
  indexDeadLetterQueue: LocalQueue;
}

/** Creates the bucket and queues the stack defines, with the same settings, if they are missing. */
export async function ensureResources(
  s3: S3Client,
  sqs: SQSClient,
  overrides: { visibilityTimeoutSeconds?: number } = {},
): Promise<LocalResources> {
  const { local, ingest } = pipelineConfig;
  await ensureBucket(s3, local.mediaBucket);
  const ingestDeadLetterQueue = await ensureQueue(sqs, local.ingestDeadLetterQueue, {
    MessageRetentionPeriod: String(ingest.deadLetterRetentionDays * secondsPerDay),
  });
  const ingestQueue = await ensureQueue(sqs, local.ingestQueue, {
    VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? ingest.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: ingestDeadLetterQueue.arn, maxReceiveCount: ingest.maxReceiveCount }),
  });
  const { video } = pipelineConfig;
  const videoDeadLetterQueue = await ensureQueue(sqs, local.videoDeadLetterQueue, {
    MessageRetentionPeriod: String(video.deadLetterRetentionDays * secondsPerDay),
  });
  const videoQueue = await ensureQueue(sqs, local.videoQueue, {
    VisibilityTimeout: String(video.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: videoDeadLetterQueue.arn, maxReceiveCount: video.maxReceiveCount }),
  });
  // FIFO: one message group per index shard, so each shard has one writer, as on AWS.
  const { indexer } = pipelineConfig;
  const indexDeadLetterQueue = await ensureQueue(sqs, local.indexDeadLetterQueue, {
    FifoQueue: 'true',
    MessageRetentionPeriod: String(indexer.deadLetterRetentionDays * secondsPerDay),
  });
  const indexQueue = await ensureQueue(sqs, local.indexQueue, {
    FifoQueue: 'true',
    VisibilityTimeout: String(overrides.visibilityTimeoutSeconds ?? indexer.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: indexDeadLetterQueue.arn, maxReceiveCount: indexer.maxReceiveCount }),
  });
  return { mediaBucket: local.mediaBucket, ingestQueue, ingestDeadLetterQueue, videoQueue, videoDeadLetterQueue, indexQueue, indexDeadLetterQueue };
}

/**
 * For a backend that delivers S3 notifications itself (moto_server, LocalStack):
 * the same configuration the stack deploys. S3 answers it with an s3:TestEvent.
 */
export async function configureNativeNotifications(s3: S3Client, bucket: string, queue: LocalQueue): Promise<void> {
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: pipelineConfig.prefixes.uploads }] } },
          },
        ],
      },
    }),
  );
}

async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<LocalQueue> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`the SQS endpoint did not return a URL for queue ${name}`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`the SQS endpoint did not return an ARN for queue ${name}`);
  return { url: QueueUrl, arn };
}
