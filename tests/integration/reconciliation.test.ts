import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduledEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { parseIngestMessage } from '../../functions/adapters/events/index.js';
import { createReconcileHandler } from '../../functions/handlers/reconcile.js';
import { ingestUpload } from '../../functions/stages/ingest/index.js';
import {
  requeueUnprocessedUploads,
  reconcileConfigurationId,
  type IngestQueueTarget,
  type S3ObjectStore,
} from '../../functions/adapters/store/index.js';
import type { LocalResources } from '../../local/index.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';
import { testContext } from '../helpers/sqsEvents.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/**
 * Uploads whose S3 events were lost (put straight into s3rver, with no
 * notification) are found and announced again on a real queue (fauxqs) as
 * the same S3 event JSON, keys encoded as S3 encodes them; uploads that
 * already have an outcome for their current bytes are left alone.
 */
describe('reconciliation', () => {
  const { local, prefixes } = pipelineConfig;
  let backend: EmulatedBackend;
  let resources: LocalResources;
  let store: S3ObjectStore;
  let sqs: SQSClient;
  let target: IngestQueueTarget;

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    ({ resources, store, sqs } = backend);
    target = { sqs, ingestQueueUrl: resources.queues.ingest.work.url, bucket: resources.mediaBucket, region: local.region };
  });
  afterAll(() => backend?.stop());
  beforeEach(async () => {
    await backend.emptyBucket();
    await drainIngestQueue();
  });

  /** Every message on the ingest queue, as the commands ingest would run, with the sender S3 names. */
  async function drainIngestQueue(): Promise<{ key: string; configurationId: string }[]> {
    const announced: { key: string; configurationId: string }[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.work.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!Messages?.length) return announced;
      for (const message of Messages) {
        const configurationId = (JSON.parse(message.Body!) as { Records: { s3: { configurationId: string } }[] }).Records[0]!.s3
          .configurationId;
        for (const command of parseIngestMessage(message.Body!))
          if (command.action === 'created') announced.push({ key: command.key, configurationId });
        await sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queues.ingest.work.url, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  }

  const ingest = (key: string) => ingestUpload({ store, limits: pipelineConfig.image }, { key });

  it('announces again every upload whose current bytes have no outcome, and only those', async () => {
    const [photo, other, third] = await Promise.all([makeJpeg(160, 120), makePng(120, 160), makeJpeg(100, 100, '#30a050')]);
    const lost = [`${prefixes.uploads}lost one.jpg`, `${prefixes.uploads}a+b=c%d/ünï cödé/deep/er/still.png`];
    await store.put(lost[0]!, photo, { contentType: 'image/jpeg' });
    await store.put(lost[1]!, other, { contentType: 'image/png' });
    // Settled: one became an item, one was rejected.
    const madeItem = `${prefixes.uploads}settled/item.jpg`;
    const rejected = `${prefixes.uploads}settled/not an image.jpg`;
    await store.put(madeItem, photo, { contentType: 'image/jpeg' });
    await store.put(rejected, 'hello', { contentType: 'image/jpeg' });
    expect((await ingest(madeItem)).outcome).toBe('created');
    expect((await ingest(rejected)).outcome).toBe('rejected');
    // Overwritten after its outcome, and the new event lost: the old outcome is not the new bytes'.
    const overwrittenItem = `${prefixes.uploads}overwritten/item.jpg`;
    const overwrittenRejection = `${prefixes.uploads}overwritten/rejected.jpg`;
    await store.put(overwrittenItem, third, { contentType: 'image/jpeg' });
    await store.put(overwrittenRejection, 'not yet', { contentType: 'image/jpeg' });
    expect((await ingest(overwrittenItem)).outcome).toBe('created');
    expect((await ingest(overwrittenRejection)).outcome).toBe('rejected');
    await store.put(overwrittenItem, other, { contentType: 'image/png' });
    await store.put(overwrittenRejection, photo, { contentType: 'image/jpeg' });

    const result = await requeueUnprocessedUploads(store, target, { minAgeMs: 0, now: new Date() });
    const expected = [...lost, overwrittenItem, overwrittenRejection].sort();
    expect(result).toMatchObject({ tooYoung: 0, complete: true });
    expect([...result.requeued].sort()).toEqual(expected);
    const announced = await drainIngestQueue();
    expect(announced.map((entry) => entry.key).sort()).toEqual(expected);
    expect(new Set(announced.map((entry) => entry.configurationId))).toEqual(new Set([reconcileConfigurationId]));

    // Once ingest has run on them, a second sweep finds nothing.
    for (const key of expected) expect(['created', 'duplicate']).toContain((await ingest(key)).outcome);
    expect((await requeueUnprocessedUploads(store, target, { minAgeMs: 0, now: new Date() })).requeued).toEqual([]);
  });

  it('leaves young uploads alone and stops at its deadline', async () => {
    const photo = await makeJpeg(64, 48);
    for (const name of ['a', 'b', 'c']) await store.put(`${prefixes.uploads}young/${name}.jpg`, photo, { contentType: 'image/jpeg' });
    const young = await requeueUnprocessedUploads(store, target, { minAgeMs: 60_000, now: new Date() });
    expect(young).toMatchObject({ requeued: [], tooYoung: 3, complete: true });
    const late = await requeueUnprocessedUploads(store, target, { minAgeMs: 0, now: new Date(), deadlineMs: Date.now() - 1 });
    expect(late).toMatchObject({ requeued: [], complete: false });
    expect(await drainIngestQueue()).toEqual([]);
  });

  it('the scheduled function waits the configured age before it announces an upload again', async () => {
    await store.put(`${prefixes.uploads}fresh.jpg`, await makeJpeg(64, 48), { contentType: 'image/jpeg' });
    const handler = createReconcileHandler({ store, target, logger: new Logger({ serviceName: 'reconcile', logLevel: 'SILENT' }) });
    const summary = await handler({} as ScheduledEvent, testContext('reconcile'));
    expect(summary).toEqual({ requeued: 0, tooYoung: 1, complete: true, reannounced: 0, removed: 0 });
    expect(await drainIngestQueue()).toEqual([]);
  });
});
