import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { pipelineConfig } from '../../functions/config/index.js';
import { buildIndexUpdateMessages, buildS3EventNotification } from '../../functions/adapters/events/index.js';
import type { IndexUpdate } from '../../functions/stages/ingest/index.js';

/** An ingest-queue record carrying S3's notification for one created upload, as Lambda hands it over. */
export function uploadCreatedRecord(bucket: string, key: string, options: { receiveCount?: number; messageId?: string } = {}): SQSRecord {
  const notification = buildS3EventNotification({
    eventName: 'ObjectCreated:Put',
    region: pipelineConfig.local.region,
    bucket,
    key,
    eventTime: new Date(),
    size: 1,
    sequencer: '01',
    configurationId: 'test',
  });
  return queueRecord(JSON.stringify(notification), 'xr-ingest', { messageId: `message-${key}`, ...options });
}

/** An index-queue record carrying these updates (one message's worth), as Lambda hands it over. */
export function indexUpdateRecord(updates: IndexUpdate | IndexUpdate[], messageId: string): SQSRecord {
  const [body, ...more] = buildIndexUpdateMessages([updates].flat(), pipelineConfig.indexer.messageBytes);
  if (!body || more.length > 0) throw new Error(`${[updates].flat().length} updates do not fit one message`);
  return indexMessageRecord(body, messageId);
}

/** An index-queue record around one message body as the queue adapter built it. */
export const indexMessageRecord = (body: string, messageId: string): SQSRecord => queueRecord(body, 'xr-index.fifo', { messageId });

function queueRecord(body: string, queueName: string, options: { receiveCount?: number; messageId: string }): SQSRecord {
  return {
    messageId: options.messageId,
    receiptHandle: `receipt-${options.messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
    awsRegion: pipelineConfig.local.region,
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context with a minute to go. */
export function testContext(functionName = 'ingest'): Context {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '2048',
    awsRequestId: 'test',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
