import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { buildS3EventNotification, type ObjectEvent } from '../events/index.js';
import type { ObjectInfo } from '../../domain/items/index.js';

export interface UploadEventSource {
  region: string;
  bucket: string;
  /** Names who sent the event in its s3.configurationId: S3's notification, the local emulation, or the reconciliation sweep. */
  configurationId: string;
}

/**
 * The ingest queue as a sender of S3 event notifications: the exact JSON S3
 * puts on it, for the local emulation of S3 and for reconciliation, which
 * re-announces uploads whose event was lost.
 */
export class SqsUploadEventQueue {
  private sequence = 0;

  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly source: UploadEventSource,
  ) {}

  async send(event: Omit<ObjectEvent, 'region' | 'bucket' | 'configurationId'>): Promise<void> {
    const notification = buildS3EventNotification({ ...event, ...this.source });
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(notification) }));
  }

  /** A synthetic ObjectCreated:Put for an upload as it is now (the RequeueUpload port of reconcileUploads). */
  readonly requeue = ({ key, info }: { key: string; info: ObjectInfo }): Promise<void> => {
    this.sequence += 1;
    return this.send({
      eventName: 'ObjectCreated:Put',
      key,
      eventTime: info.lastModified,
      size: info.bytes,
      // Hex like S3's, and later than any S3 sequencer of the same moment.
      sequencer: `${Date.now().toString(16).toUpperCase()}${this.sequence.toString(16).padStart(8, '0').toUpperCase()}`,
    });
  };
}
