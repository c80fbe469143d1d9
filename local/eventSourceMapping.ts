import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue } from './ensureResources.js';

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queue: LocalQueue;
  region: string;
  batchSize: number;
  receiveWaitSeconds: number;
  functionName: string;
  functionTimeoutSeconds: number;
  /** One handler per worker, like one Lambda execution environment each. */
  createHandler: () => (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  workers: number;
  onBatchDone?: (summary: { received: number; failed: number }) => void;
  onError?: (error: unknown) => void;
}

export interface EventSourceMapping {
  /** Batches received and not yet finished. */
  inFlight(): number;
  stop(): Promise<void>;
}

/**
 * Polls a queue the way Lambda's SQS event source mapping does: receive up to
 * batchSize, invoke the handler with an SQSEvent, delete what succeeded and
 * leave reported failures (or the whole batch, if the handler throws) to
 * reappear after the visibility timeout, until the queue's redrive policy
 * moves them to the dead-letter queue.
 */
export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const abort = new AbortController();
  let inFlight = 0;

  async function pollForever(workerIndex: number): Promise<void> {
    const handler = options.createHandler();
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queue.url,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.receiveWaitSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onError?.(error);
        await delay(1000);
        continue;
      }
      if (messages.length === 0) continue;
      inFlight += 1;
      try {
        await invoke(handler, messages, workerIndex);
      } finally {
        inFlight -= 1;
      }
    }
  }

  async function invoke(
    handler: ReturnType<EventSourceMappingOptions['createHandler']>,
    messages: Message[],
    workerIndex: number,
  ): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, options)) };
    let failedIds: Set<string>;
    try {
      const response = await handler(event, lambdaContext(options, workerIndex));
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // A thrown handler fails the whole batch, as on Lambda.
      options.onError?.(error);
      failedIds = new Set(messages.map((message) => message.MessageId ?? ''));
    }
    const succeeded = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
    if (succeeded.length > 0) {
      try {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queue.url,
            Entries: succeeded.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      } catch (error) {
        // The worker lives on: undeleted messages come back after their visibility timeout, and handlers absorb the repeat.
        options.onError?.(error);
      }
    }
    options.onBatchDone?.({ received: messages.length, failed: failedIds.size });
  }

  const workers = Array.from({ length: options.workers }, (_, index) => pollForever(index));
  return {
    inFlight: () => inFlight,
    async stop() {
      abort.abort();
      await Promise.allSettled(workers);
    },
  };
}

function toRecord(message: Message, options: EventSourceMappingOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queue.arn,
    awsRegion: options.region,
  };
}

function lambdaContext(options: EventSourceMappingOptions, workerIndex: number): Context {
  const deadline = Date.now() + options.functionTimeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '0',
    awsRequestId: `local-${workerIndex}-${Date.now().toString(36)}`,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/${workerIndex}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
