import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuePair } from './queuePairs.js';

export interface QueueDepths {
  name: string;
  /** Waiting to be received. */
  waiting: number;
  /** Received by a function and not yet deleted or returned. */
  inFlight: number;
  /** Sent with a delay that has not passed yet. */
  delayed: number;
  /** In the dead-letter queue (visible or being inspected). */
  deadLetters: number;
}

const depthAttributes = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** SQS's approximate counts for a work queue and its dead-letter queue. */
export async function queueDepths(sqs: SQSClient, queue: QueuePair): Promise<QueueDepths> {
  const [work, deadLetter] = await Promise.all([attributesOf(sqs, queue.url), attributesOf(sqs, queue.deadLetterUrl)]);
  return {
    name: queue.name,
    waiting: work.ApproximateNumberOfMessages,
    inFlight: work.ApproximateNumberOfMessagesNotVisible,
    delayed: work.ApproximateNumberOfMessagesDelayed,
    deadLetters: deadLetter.ApproximateNumberOfMessages + deadLetter.ApproximateNumberOfMessagesNotVisible,
  };
}

async function attributesOf(sqs: SQSClient, queueUrl: string): Promise<Record<(typeof depthAttributes)[number], number>> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...depthAttributes] }));
  return Object.fromEntries(depthAttributes.map((name) => [name, Number(Attributes[name] ?? 0)])) as Record<(typeof depthAttributes)[number], number>;
}
