import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { buildS3EventNotification, buildVideoJobMessage } from '../../functions/adapters/events/index.js';
import { writeErrorRecord } from '../../functions/stages/ingest/index.js';
import { listDeadLetters, messageCounts, redriveDeadLetters, type S3ObjectStore } from '../../functions/adapters/store/index.js';
import type { LocalResources } from '../../local/index.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';

/** Dead-letter queues on fauxqs, error records on s3rver: what the CLI lists and redrives. */
describe('dead letters', () => {
  const { local, prefixes } = pipelineConfig;
  let backend: EmulatedBackend;
  let resources: LocalResources;
  let store: S3ObjectStore;
  let sqs: SQSClient;

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    ({ resources, store, sqs } = backend);
  });
  afterAll(() => backend?.stop());

  const s3Event = (key: string) =>
    JSON.stringify(
      buildS3EventNotification({
        eventName: 'ObjectCreated:Put',
        region: local.region,
        bucket: resources.mediaBucket,
        key,
        eventTime: new Date(),
        size: 10,
        sequencer: '01',
        configurationId: 'test',
      }),
    );
  const send = (queueUrl: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  const depth = async (queueUrl: string) => {
    const counts = await messageCounts(sqs, queueUrl);
    return counts.waiting + counts.inFlight;
  };

  it('lists each dead letter with its uploads and the recorded reasons, leaves them in place, and redrives the chosen ones in full', async () => {
    const recorded = `${prefixes.uploads}dead/recorded one.jpg`;
    const unrecorded = `${prefixes.uploads}dead/unrecorded.jpg`;
    await writeErrorRecord(
      store,
      recorded,
      { code: 'retries-exhausted', reason: 'processing failed 5 times (last error: boom)', bytes: 10 },
      new Date(),
    );
    const dlq = resources.queues.ingest.deadLetter.url;
    const recordedBody = s3Event(recorded);
    await send(dlq, recordedBody);
    await send(dlq, s3Event(unrecorded));
    await send(dlq, 'garbage that is no event');

    const target = { sqs, deadLetterQueueUrl: dlq, store, source: 'ingest' as const };
    const letters = await listDeadLetters(target);
    expect(letters).toHaveLength(3);
    const byKey = (key: string) => letters.find((letter) => letter.keys.includes(key))!;
    expect(byKey(recorded).reasons).toEqual([
      { key: recorded, code: 'retries-exhausted', reason: 'processing failed 5 times (last error: boom)' },
    ]);
    expect(byKey(unrecorded).reasons).toEqual([
      { key: unrecorded, code: 'no-error-record', reason: expect.stringContaining('no error record') },
    ]);
    const garbage = letters.find((letter) => letter.keys.length === 0)!;
    expect(garbage.reasons).toEqual([{ code: 'unrecognised-message', reason: expect.stringContaining('not JSON') }]);
    expect(garbage.body).toBe('garbage that is no event');
    // Listing hides nothing: the same letters are there to list, or redrive, at once.
    expect((await listDeadLetters(target)).map((letter) => letter.messageId).sort()).toEqual(
      letters.map((letter) => letter.messageId).sort(),
    );

    const chosen = byKey(recorded).messageId;
    const redrive = { sqs, deadLetterQueueUrl: dlq, workQueueUrl: resources.queues.ingest.work.url };
    expect(await redriveDeadLetters(redrive, { messageIds: [chosen] })).toEqual({ moved: [chosen] });
    expect(await depth(dlq)).toBe(2);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.work.url, MaxNumberOfMessages: 10 }));
    expect(Messages?.map((message) => message.Body)).toEqual([recordedBody]);

    expect((await redriveDeadLetters(redrive)).moved).toHaveLength(2);
    expect(await depth(dlq)).toBe(0);
    expect(await listDeadLetters(target)).toEqual([]);
  });

  it('reads the video dead-letter queue as video jobs', async () => {
    const key = `${prefixes.uploads}dead/clip.mp4`;
    await writeErrorRecord(store, key, { code: 'retries-exhausted', reason: 'the job failed 3 times', bytes: null }, new Date());
    await send(resources.queues.video.deadLetter.url, buildVideoJobMessage({ key, mime: 'video/mp4' }));
    const letters = await listDeadLetters({ sqs, deadLetterQueueUrl: resources.queues.video.deadLetter.url, store, source: 'video' });
    expect(letters).toEqual([
      expect.objectContaining({ keys: [key], reasons: [{ key, code: 'retries-exhausted', reason: 'the job failed 3 times' }] }),
    ]);
  });
});
