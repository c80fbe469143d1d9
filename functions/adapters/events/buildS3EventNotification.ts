import type { S3Event } from 'aws-lambda';
import { encodeS3EventKey } from './s3EventKey.js';

export interface ObjectEvent {
  eventName:
    'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';
  region: string;
  bucket: string;
  key: string;
  eventTime: Date;
  /** Present for ObjectCreated. */
  size?: number;
  eTag?: string;
  /** Hex, increasing per key: lets a consumer order events for the same key. */
  sequencer: string;
  configurationId: string;
}

/**
 * The notification JSON S3 puts on an SQS queue (event structure version 2.1),
 * so the local mode feeds handlers exactly what AWS would.
 */
export function buildS3EventNotification(event: ObjectEvent): S3Event {
  const created = event.eventName.startsWith('ObjectCreated:');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: event.region,
        eventTime: event.eventTime.toISOString(),
        eventName: event.eventName,
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': event.sequencer, 'x-amz-id-2': event.sequencer },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: event.configurationId,
          bucket: { name: event.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${event.bucket}` },
          object: {
            key: encodeS3EventKey(event.key),
            ...(created ? { size: event.size ?? 0, eTag: event.eTag ?? '' } : {}),
            sequencer: event.sequencer,
          } as S3Event['Records'][number]['s3']['object'],
        },
      },
    ],
  };
}
