import { CreateBucketCommand, HeadBucketCommand, PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig, queueStageList, type QueueStageName } from '../functions/config/index.js';

const secondsPerDay = 24 * 60 * 60;

export interface LocalQueue {
  url: string;
  arn: string;
}

/** A stage's work queue and the dead-letter queue its redrive policy moves failures to. */
interface LocalQueuePair {
  work: LocalQueue;
  deadLetter: LocalQueue;
}

/**
 * Shorter visibility timeouts by stage, for tests and benches that watch retries and redrive.
 * Only for stages whose messages are handled well within it: a video job outlasts a short one and would run twice.
 */
export type VisibilityOverrides = Partial<Record<QueueStageName, number>>;

export interface LocalResources {
  mediaBucket: string;
  /** One pair per row of the stage table (functions/config/stageTable.ts). */
  queues: Record<QueueStageName, LocalQueuePair>;
}

/** Creates the bucket and the stage table's queues, with the settings the stack gives them, if they are missing. */
export async function ensureResources(
  s3: S3Client,
  sqs: SQSClient,
  overrides: { visibilityTimeoutSeconds?: VisibilityOverrides } = {},
): Promise<LocalResources> {
  const { local } = pipelineConfig;
  await ensureBucket(s3, local.mediaBucket);
  const queues = {} as Record<QueueStageName, LocalQueuePair>;
  for (const { name, queue } of queueStageList) {
    // FIFO: one message group per index shard, so each shard has one writer, as on AWS.
    const fifo: Record<string, string> = queue.fifo ? { FifoQueue: 'true' } : {};
    const deadLetter = await ensureQueue(sqs, queue.localDeadLetterName, {
      ...fifo,
      MessageRetentionPeriod: String(queue.deadLetterRetentionDays * secondsPerDay),
    });
    const work = await ensureQueue(sqs, queue.localName, {
      ...fifo,
      VisibilityTimeout: String(overrides.visibilityTimeoutSeconds?.[name] ?? queue.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: queue.maxReceiveCount }),
    });
    queues[name] = { work, deadLetter };
  }
  return { mediaBucket: local.mediaBucket, queues };
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
