import type { S3Event, S3EventRecord } from 'aws-lambda';
import { UnrecognisedMessageError } from './errors.js';
import { decodeS3EventKey } from './s3EventKey.js';

/** What one S3 event record asks the ingest function to do, free of the event's shape. */
export type IngestCommand =
  | { action: 'created'; bucket: string; key: string; eventTime: string; sequencer: string }
  | { action: 'removed'; bucket: string; key: string; eventTime: string; sequencer: string }
  | { action: 'test-event'; bucket: string };

/** S3 sends this once when a notification configuration is saved. */
interface S3TestEvent {
  Service: 'Amazon S3';
  Event: 's3:TestEvent';
  Bucket: string;
}

function isTestEvent(body: unknown): body is S3TestEvent {
  return typeof body === 'object' && body !== null && (body as S3TestEvent).Event === 's3:TestEvent';
}

function isS3Event(body: unknown): body is S3Event {
  return typeof body === 'object' && body !== null && Array.isArray((body as S3Event).Records);
}

/** Parses the body of one ingest-queue message (one or more S3 event records). */
export function parseIngestMessage(messageBody: string): IngestCommand[] {
  let body: unknown;
  try {
    body = JSON.parse(messageBody);
  } catch {
    throw new UnrecognisedMessageError(`the body is not JSON (starts with ${JSON.stringify(messageBody.slice(0, 40))})`);
  }
  if (isTestEvent(body)) return [{ action: 'test-event', bucket: body.Bucket }];
  if (!isS3Event(body)) throw new UnrecognisedMessageError('it has neither Records nor Event');
  return body.Records.map(toCommand);
}

function toCommand(record: S3EventRecord): IngestCommand {
  const key = record.s3?.object?.key;
  const bucket = record.s3?.bucket?.name;
  if (record.eventSource !== 'aws:s3' || typeof key !== 'string' || typeof bucket !== 'string') {
    throw new UnrecognisedMessageError(`a record from ${String(record.eventSource)} without an S3 bucket and key`);
  }
  const common = {
    bucket,
    key: decodeS3EventKey(key),
    eventTime: record.eventTime,
    sequencer: record.s3.object.sequencer ?? '',
  };
  if (record.eventName.startsWith('ObjectCreated:')) return { action: 'created', ...common };
  if (record.eventName.startsWith('ObjectRemoved:')) return { action: 'removed', ...common };
  throw new UnrecognisedMessageError(`event ${record.eventName} is not ObjectCreated or ObjectRemoved`);
}
