import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A work queue and the dead-letter queue its redrive policy moves failures to. */
export interface QueuePair {
  /** The stage's name: ingest, video, index. */
  name: string;
  url: string;
  deadLetterUrl: string;
}

/** SQS's approximate counts for one queue. */
export interface MessageCounts {
  /** Waiting to be received. */
  waiting: number;
  /** Received by a consumer and not yet deleted or returned. */
  inFlight: number;
  /** Sent with a delay that has not passed yet. */
  delayed: number;
}

export interface QueueDepths extends MessageCounts {
  name: string;
  /** In the dead-letter queue (visible or being inspected). */
  deadLetters: number;
}

const countAttributes = {
  waiting: 'ApproximateNumberOfMessages',
  inFlight: 'ApproximateNumberOfMessagesNotVisible',
  delayed: 'ApproximateNumberOfMessagesDelayed',
} as const;

/** The one queue-depth query: the CLI's status, the local mode's idle check, benches and tests all ask here. */
export async function messageCounts(sqs: SQSClient, queueUrl: string): Promise<MessageCounts> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: Object.values(countAttributes) }),
  );
  const count = (name: keyof typeof countAttributes) => Number(Attributes[countAttributes[name]] ?? 0);
  return { waiting: count('waiting'), inFlight: count('inFlight'), delayed: count('delayed') };
}

/** A work queue's counts and how many dead letters its dead-letter queue holds. */
export async function queueDepths(sqs: SQSClient, queue: QueuePair): Promise<QueueDepths> {
  const [work, deadLetter] = await Promise.all([messageCounts(sqs, queue.url), messageCounts(sqs, queue.deadLetterUrl)]);
  return { name: queue.name, ...work, deadLetters: deadLetter.waiting + deadLetter.inFlight };
}
