import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buildIndexUpdateMessage } from '../events/index.js';
import type { IndexUpdate, IndexUpdateQueue } from '../../stages/ingest/index.js';
import { shardOfItem } from '../../domain/vq/index.js';

/** The IndexUpdateQueue port over the index FIFO queue: one message group, so one writer, per shard. */
export class SqsIndexUpdateQueue implements IndexUpdateQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly shards: number,
  ) {}

  async send(update: IndexUpdate): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: buildIndexUpdateMessage(update),
        MessageGroupId: shardOfItem(update.itemId, this.shards),
        // Never deduplicated by SQS: an upsert after a delete within five minutes must arrive.
        // Repeats are harmless, the indexer applies an unchanged vector as a no-op.
        MessageDeduplicationId: randomUUID(),
      }),
    );
  }
}
