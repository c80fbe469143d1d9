import { describe, expect, it } from 'vitest';
import { buildS3EventNotification, parseIngestMessage, UnrecognisedMessageError } from '../../../../functions/adapters/events/index.js';

const created = buildS3EventNotification({
  eventName: 'ObjectCreated:Put',
  region: 'eu-west-1',
  bucket: 'media',
  key: 'uploads/a b+c.jpg',
  eventTime: new Date('2026-01-02T03:04:05.678Z'),
  size: 1234,
  eTag: 'abc',
  sequencer: '00AB',
  configurationId: 'cfg',
});

describe('buildS3EventNotification', () => {
  it('produces the AWS event structure version 2.1 with an encoded key', () => {
    const record = created.Records[0]!;
    expect(record).toMatchObject({ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventName: 'ObjectCreated:Put' });
    expect(record.eventTime).toBe('2026-01-02T03:04:05.678Z');
    expect(record.s3.object).toEqual({ key: 'uploads/a+b%2Bc.jpg', size: 1234, eTag: 'abc', sequencer: '00AB' });
    expect(record.s3.bucket.arn).toBe('arn:aws:s3:::media');
  });

  it('leaves size and eTag out of ObjectRemoved, as S3 does', () => {
    const removed = buildS3EventNotification({
      eventName: 'ObjectRemoved:Delete',
      region: 'eu-west-1',
      bucket: 'media',
      key: 'uploads/x.jpg',
      eventTime: new Date(),
      sequencer: '01',
      configurationId: 'cfg',
    });
    expect(removed.Records[0]!.s3.object).toEqual({ key: 'uploads/x.jpg', sequencer: '01' });
  });
});

describe('parseIngestMessage', () => {
  it('decodes keys and maps event names to actions', () => {
    expect(parseIngestMessage(JSON.stringify(created))).toEqual([
      { action: 'created', bucket: 'media', key: 'uploads/a b+c.jpg', eventTime: '2026-01-02T03:04:05.678Z', sequencer: '00AB' },
    ]);
  });

  it('recognises s3:TestEvent', () => {
    const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-01-01T00:00:00Z', Bucket: 'media' });
    expect(parseIngestMessage(body)).toEqual([{ action: 'test-event', bucket: 'media' }]);
  });

  it.each([
    ['not JSON', 'hello'],
    ['JSON without Records', '{"hello":"world"}'],
    ['a record from another service', JSON.stringify({ Records: [{ eventSource: 'aws:sns' }] })],
    ['an unsupported event', JSON.stringify({ Records: [{ ...created.Records[0], eventName: 'ObjectRestore:Completed' }] })],
  ])('rejects %s with a specific error', (_name, body) => {
    expect(() => parseIngestMessage(body)).toThrow(UnrecognisedMessageError);
  });
});
