import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseIngestMessage, parseVideoJobMessage } from '../events/index.js';
import { getJson, itemKeys, type ErrorRecord, type ObjectStore } from '../../domain/items/index.js';

/** Which work queue a dead-letter queue belongs to: it decides how a body is read. */
export type DeadLetterSource = 'ingest' | 'video';

interface DeadLetterReason {
  /** The upload the message was about; absent when the body names none. */
  key?: string;
  code: string;
  reason: string;
}

export interface DeadLetter {
  messageId: string;
  /** When the message was first sent to its work queue. */
  sentAt: Date;
  /** Receives so far, on the work queue and in this listing. */
  receiveCount: number;
  /** The uploads it was about, in order. */
  keys: string[];
  /** Why, per upload: its error record (the handler writes one on the last receive), or why none could be read. */
  reasons: DeadLetterReason[];
  body: string;
}

export interface DeadLetterQueueTarget {
  sqs: SQSClient;
  deadLetterQueueUrl: string;
}

/** How long a listed message stays hidden while the listing pages past it; it is made visible again at the end. */
const listingVisibilitySeconds = 30;
const maxBatch = 10;

/**
 * Every message in a dead-letter queue (up to `limit`), with the uploads it
 * names and the reason recorded for each. Listing receives the messages, so
 * it makes them visible again before returning: a redrive right after finds them.
 */
export async function listDeadLetters(
  target: DeadLetterQueueTarget & { store: ObjectStore; source: DeadLetterSource },
  limit = 1000,
): Promise<DeadLetter[]> {
  const messages = await receiveAll(target, limit);
  try {
    return await Promise.all(messages.map((message) => describe(message, target.store, target.source)));
  } finally {
    await releaseAll(target, messages);
  }
}

/**
 * Moves dead letters back to their work queue (all, or those whose message id
 * is listed), in order, each sent before it is deleted: a crash midway leaves a
 * message in both queues, never in neither, and ingest is idempotent.
 */
export async function redriveDeadLetters(
  target: DeadLetterQueueTarget & { workQueueUrl: string },
  options: { messageIds?: readonly string[]; limit?: number } = {},
): Promise<{ moved: string[] }> {
  const wanted = options.messageIds && new Set(options.messageIds);
  const messages = await receiveAll(target, options.limit ?? Number.POSITIVE_INFINITY);
  const chosen = messages.filter((message) => !wanted || wanted.has(message.MessageId ?? ''));
  const moved: string[] = [];
  try {
    for (let start = 0; start < chosen.length; start += maxBatch) {
      const batch = chosen.slice(start, start + maxBatch);
      const sent = await target.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: target.workQueueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? '',
            ...fifoFields(target.workQueueUrl, message),
          })),
        }),
      );
      const sentIds = new Set((sent.Successful ?? []).map((entry) => Number(entry.Id)));
      const delivered = batch.filter((_, index) => sentIds.has(index));
      if (delivered.length === 0) continue;
      await target.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: target.deadLetterQueueUrl,
          Entries: delivered.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      moved.push(...delivered.map((message) => message.MessageId ?? ''));
    }
  } finally {
    const movedIds = new Set(moved);
    await releaseAll(
      target,
      messages.filter((message) => !movedIds.has(message.MessageId ?? '')),
    );
  }
  return { moved };
}

/**
 * A FIFO work queue (the index queue) needs the message's group back, and a
 * deduplication id: the dead letter's own message id, so a redrive repeated
 * after a crash within SQS's five-minute window is not sent twice.
 */
function fifoFields(workQueueUrl: string, message: Message): { MessageGroupId?: string; MessageDeduplicationId?: string } {
  if (!workQueueUrl.endsWith('.fifo')) return {};
  return { MessageGroupId: message.Attributes?.MessageGroupId, MessageDeduplicationId: message.MessageId };
}

async function receiveAll(target: DeadLetterQueueTarget, limit: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < limit) {
    const { Messages } = await target.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: target.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(maxBatch, limit - messages.length),
        VisibilityTimeout: listingVisibilitySeconds,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount', 'MessageGroupId'],
      }),
    );
    if (!Messages?.length) break;
    messages.push(...Messages);
  }
  return messages;
}

async function releaseAll(target: DeadLetterQueueTarget, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += maxBatch) {
    await target.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: target.deadLetterQueueUrl,
        Entries: messages.slice(start, start + maxBatch).map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

async function describe(message: Message, store: ObjectStore, source: DeadLetterSource): Promise<DeadLetter> {
  const body = message.Body ?? '';
  const letter = {
    messageId: message.MessageId ?? '',
    sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    body,
  };
  let keys: string[];
  try {
    keys = source === 'video' ? [parseVideoJobMessage(body).key] : uploadKeysOf(body);
  } catch (error) {
    const unreadable = error as Error & { code?: string };
    return { ...letter, keys: [], reasons: [{ code: unreadable.code ?? 'unreadable', reason: unreadable.message }] };
  }
  const reasons = await Promise.all(
    keys.map(async (key): Promise<DeadLetterReason> => {
      const record = await getJson<ErrorRecord>(store, itemKeys.errorRecord(key));
      return record
        ? { key, code: record.code, reason: record.reason }
        : { key, code: 'no-error-record', reason: 'no error record was written for this upload (the last attempt could not record why)' };
    }),
  );
  return { ...letter, keys, reasons };
}

function uploadKeysOf(body: string): string[] {
  return parseIngestMessage(body).flatMap((command) => (command.action === 'test-event' ? [] : [command.key]));
}
