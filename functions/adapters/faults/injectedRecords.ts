import type { SQSRecord } from 'aws-lambda';
import { buildS3TestEvent } from '../events/index.js';
import type { Prng } from '../../domain/vq/index.js';

/** Message ids of records the switch adds; they are never reported back to the queue. */
export const injectedIdPrefix = 'fault-injected-';

/** Bodies no queue of this pipeline carries: not JSON, JSON of another shape, a record from another service. */
const unknownBodies = [
  'this is not an S3 event',
  '{"hello":"world"}',
  '{"Records":[{"eventSource":"aws:sns","Sns":{"Message":"hi"}}]}',
  '{"Records":[{"eventSource":"aws:s3","eventName":"ObjectRestore:Completed","s3":{"bucket":{"name":"b"},"object":{"key":"uploads/x.jpg"}}}]}',
];

export function injectedRecord(template: SQSRecord | undefined, kind: 'test-event' | 'unknown', serial: number, prng: Prng): SQSRecord {
  const now = new Date();
  const body = kind === 'test-event' ? buildS3TestEvent('fault-injection', now) : unknownBodies[prng.nextInt(unknownBodies.length)]!;
  return {
    messageId: `${injectedIdPrefix}${kind}-${serial}`,
    receiptHandle: `${injectedIdPrefix}${serial}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(now.getTime()),
      SenderId: 'fault-injection',
      ApproximateFirstReceiveTimestamp: String(now.getTime()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: template?.eventSourceARN ?? 'arn:aws:sqs:local:000000000000:fault-injection',
    awsRegion: template?.awsRegion ?? 'local',
  };
}
