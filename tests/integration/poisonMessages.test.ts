import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { buildS3EventNotification } from '../../functions/adapters/events/index.js';
import { createIngestHandler } from '../../functions/handlers/ingestWorker.js';
import { getJson, itemIdForContent, itemKeys, type ErrorRecord, type ObjectStore } from '../../functions/domain/items/index.js';
import { createS3Client, createSqsClient, S3ObjectStore } from '../../functions/adapters/store/index.js';
import {
  ensureResources,
  startEmbeddedEmulators,
  startEventSourceMapping,
  type EmbeddedEmulators,
  type EventSourceMapping,
  type LocalResources,
} from '../../local/index.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * A storage outage for one key is a fault real input cannot provoke, so the
 * store is wrapped to fail reads of keys containing "poison"; everything else
 * (queue, redrive, S3, sharp, the handler) is real.
 */
function failingReadsOf(store: ObjectStore, marker: string): ObjectStore {
  return {
    head: (key) => store.head(key),
    getBytes: (key) => (key.includes(marker) ? Promise.reject(new Error('simulated S3 read outage')) : store.getBytes(key)),
    getHead: (key, length) => (key.includes(marker) ? Promise.reject(new Error('simulated S3 read outage')) : store.getHead(key, length)),
    downloadToFile: (key, path) =>
      key.includes(marker) ? Promise.reject(new Error('simulated S3 read outage')) : store.downloadToFile(key, path),
    put: (key, body, options) => store.put(key, body, options),
    putFile: (key, path, options) => store.putFile(key, path, options),
    deleteKeys: (keys) => store.deleteKeys(keys),
    listKeys: (prefix) => store.listKeys(prefix),
    listFolders: (prefix, limit, after) => store.listFolders(prefix, limit, after),
  };
}

describe('a message that keeps failing', () => {
  let dataDir: string;
  let emulators: EmbeddedEmulators;
  let resources: LocalResources;
  let mapping: EventSourceMapping;
  const credentials = { accessKeyId: pipelineConfig.local.accessKeyId, secretAccessKey: pipelineConfig.local.secretAccessKey };
  let store: S3ObjectStore;
  const sqsTarget = () => ({ region: pipelineConfig.local.region, credentials, endpoint: emulators.sqsEndpoint });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-poison-'));
    emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
    const s3 = createS3Client({ region: pipelineConfig.local.region, credentials, endpoint: emulators.s3Endpoint });
    const sqs = createSqsClient(sqsTarget());
    resources = await ensureResources(s3, sqs, { visibilityTimeoutSeconds: { ingest: 1, index: 1 } });
    store = new S3ObjectStore(s3, resources.mediaBucket);
    mapping = startEventSourceMapping({
      sqs,
      queue: resources.queues.ingest.work,
      region: pipelineConfig.local.region,
      batchSize: pipelineConfig.ingest.batchSize,
      receiveWaitSeconds: 1,
      functionName: 'ingest',
      functionTimeoutSeconds: pipelineConfig.ingest.timeoutSeconds,
      workers: 1,
      createHandler: () =>
        createIngestHandler({
          store: failingReadsOf(store, 'poison'),
          limits: pipelineConfig.image,
          maxReceiveCount: pipelineConfig.ingest.maxReceiveCount,
          logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
        }),
    });
  });

  afterAll(async () => {
    await mapping?.stop();
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reaches the dead-letter queue after maxReceiveCount with an error record, while its batch-mates succeed', async () => {
    const sqs = createSqsClient(sqsTarget());
    const s3 = createS3Client({ region: pipelineConfig.local.region, credentials, endpoint: emulators.s3Endpoint });
    const good = await makeJpeg(400, 300);
    const keys = { good: 'uploads/good.jpg', poison: 'uploads/poison.jpg' };
    for (const key of Object.values(keys)) {
      await s3.send(new PutObjectCommand({ Bucket: resources.mediaBucket, Key: key, Body: good }));
    }
    // One message carrying both records would fail both; S3 sends one record per message.
    for (const key of Object.values(keys)) {
      const notification = buildS3EventNotification({
        eventName: 'ObjectCreated:Put',
        region: pipelineConfig.local.region,
        bucket: resources.mediaBucket,
        key,
        eventTime: new Date(),
        size: good.length,
        sequencer: '01',
        configurationId: 'test',
      });
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.queues.ingest.work.url, MessageBody: JSON.stringify(notification) }));
    }

    let deadLettered: string | undefined;
    const deadline = Date.now() + 45_000;
    while (!deadLettered && Date.now() < deadline) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.deadLetter.url, WaitTimeSeconds: 1 }),
      );
      deadLettered = Messages?.[0]?.Body;
    }
    expect(deadLettered).toContain('poison.jpg');

    const record = await getJson<ErrorRecord>(store, itemKeys.errorRecord(keys.poison));
    expect(record?.code).toBe('retries-exhausted');
    expect(record?.reason).toContain(`failed ${pipelineConfig.ingest.maxReceiveCount} times`);
    expect(record?.reason).toContain('simulated S3 read outage');
    expect(await store.head(itemKeys.manifest(itemIdForContent(good)))).toBeDefined();
  });
});
