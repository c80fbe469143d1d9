import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig } from '../../config/index.js';
import { buildIndexUpdateMessages } from '../events/index.js';
import type { IndexUpdate, IndexUpdateQueue } from '../../stages/ingest/index.js';
import { groupByShard } from '../../domain/vq/index.js';

/**
 * The IndexUpdateQueue port over the index FIFO queue: one message group, so
 * one writer, per shard. A shard's updates are packed several to a message
 * and sent one message after another (their order is the group's order);
 * shards are sent side by side.
 */
export class SqsIndexUpdateQueue implements IndexUpdateQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly shards: number,
    private readonly messageBytes = pipelineConfig.indexer.messageBytes,
  ) {}

  async send(updates: readonly IndexUpdate[]): Promise<void> {
    await Promise.all(
      [...groupByShard(updates, (update) => update.itemId, this.shards)].map(async ([shard, ofShard]) => {
        for (const body of buildIndexUpdateMessages(ofShard, this.messageBytes)) {
          await this.sqs.send(
            new SendMessageCommand({
              QueueUrl: this.queueUrl,
              MessageBody: body,
              MessageGroupId: shard,
              // Never deduplicated by SQS: an upsert after a delete within five minutes must arrive.
              // Repeats are harmless, the indexer applies an unchanged vector as a no-op.
              MessageDeduplicationId: randomUUID(),
            }),
          );
        }
      }),
    );
  }
}
