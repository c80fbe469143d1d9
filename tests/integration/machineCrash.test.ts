import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { createS3Client, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { getJson, itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { countOutcomes } from '../../functions/stages/ingest/index.js';
import { startPipelineProcess, type PipelineProcess } from '../../local/startPipelineProcess.js';
import { startStorageHost, type StorageHost } from '../../local/storageHost.js';
import { danglingReferences } from '../helpers/danglingReferences.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/**
 * A whole-machine crash: the storage (real s3rver and fauxqs) runs in the test's process, as AWS runs apart from
 * our code; the pipeline runs in a process group of its own with its workers as child processes. Mid-run every
 * process of the pipeline gets SIGKILL at once; a new pipeline starts on the same data, reconciles as `npm start`
 * does, and the run ends as a clean one would: one ready item per upload, all of them in the index.
 */
const visibilityTimeoutSeconds = { ingest: 3, index: 3 };
let workDir: string;
let storage: StorageHost;
const pipelines: PipelineProcess[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'xr-machine-crash-'));
  storage = await startStorageHost({ dataDir: workDir, visibilityTimeoutSeconds });
});

afterAll(async () => {
  for (const pipeline of pipelines) await pipeline.stop();
  await storage?.stop();
  await rm(workDir, { recursive: true, force: true });
});

const startPipeline = async () => {
  const pipeline = await startPipelineProcess({
    dataDir: workDir,
    storage: { s3Endpoint: storage.s3Endpoint, sqsEndpoint: storage.sqsEndpoint },
    ports: 'random',
    handlerLogLevel: 'SILENT',
    visibilityTimeoutSeconds,
    workerProcesses: {},
  });
  pipelines.push(pipeline);
  return pipeline;
};

it('kill -9 of every process of the pipeline mid-run, then a restart on the same data, ends with every item ready and indexed', async () => {
  const { local } = pipelineConfig;
  const s3 = createS3Client({
    region: local.region,
    credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey },
    endpoint: storage.s3Endpoint,
  });
  const store = new S3ObjectStore(s3, storage.resources.mediaBucket);
  const uploads = new Map<string, Buffer>();
  for (let index = 0; index < 8; index += 1)
    uploads.set(
      `uploads/crash/${index}.img`,
      await (index % 2 ? makePng : makeJpeg)(220 + 16 * index, 160 + 8 * index, `#${(0x604020 + index * 0x0a1b2c).toString(16).slice(-6)}`),
    );

  const first = await startPipeline();
  for (const [key, bytes] of uploads) await s3.send(new PutObjectCommand({ Bucket: storage.resources.mediaBucket, Key: key, Body: bytes }));
  // Mid-run: some items done, not all.
  while ((await countOutcomes(store)).items === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  await first.crash();
  const atCrash = await countOutcomes(store);
  expect(atCrash.items).toBeLessThan(uploads.size);

  const second = await startPipeline();
  await second.waitForIdle(120_000);
  // The final sweep, as the scheduled one would come: nothing left to requeue, nothing orphaned once all is idle.
  const last = await second.reconcile({ orphanMinAgeMs: 0 });
  expect(last.requeued).toBe(0);
  await second.waitForIdle(60_000);
  expect(await second.reconcile({ orphanMinAgeMs: 0 })).toMatchObject({ requeued: 0, indexRepaired: 0, orphansRemoved: 0 });

  expect(await countOutcomes(store)).toEqual({ uploads: uploads.size, items: uploads.size, errors: 0 });
  for (const [key, bytes] of uploads) {
    const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(bytes)));
    expect(manifest, key).toMatchObject({ status: 'ready', source: { key, bytes: bytes.length } });
  }
  expect(await danglingReferences(store)).toEqual([]);
  s3.destroy();
}, 240_000);
