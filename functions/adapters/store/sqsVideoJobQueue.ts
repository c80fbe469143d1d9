import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buildVideoJobMessage } from '../events/index.js';
import type { VideoJob, VideoJobQueue } from '../../stages/ingest/index.js';

/** The VideoJobQueue port over the video SQS queue. */
export class SqsVideoJobQueue implements VideoJobQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  async send(job: VideoJob): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: buildVideoJobMessage(job) }));
  }
}
