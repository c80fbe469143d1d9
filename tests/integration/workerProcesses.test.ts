import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/store/index.js';
import { getJson, itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import type { ProcessKillPlan } from '../../local/processKills.js';
import { danglingReferences } from '../helpers/danglingReferences.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/**
 * Workers as processes (`workerProcesses`): each stage's worker a real child process on the real emulators, killed
 * with a real SIGKILL. Lambda's event source mapping hears nothing from a dead environment, so the batch stays on
 * the queue and comes back after its visibility timeout (3 s here), to a fresh process that finishes it.
 */
const visibilityTimeoutSeconds = { ingest: 3, index: 3 };
let workDir: string;
let pipeline: LocalPipeline | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'xr-worker-processes-'));
  return () => rm(workDir, { recursive: true, force: true });
});

afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});

async function start(kills: ProcessKillPlan, name: string): Promise<LocalPipeline> {
  pipeline = await startLocalPipeline({
    dataDir: join(workDir, name),
    ports: 'random',
    handlerLogLevel: 'SILENT',
    visibilityTimeoutSeconds,
    workerProcesses: { kills },
  });
  return pipeline;
}

async function expectReadyItem(running: LocalPipeline, key: string, bytes: Buffer): Promise<void> {
  const store = new S3ObjectStore(running.s3, running.resources.mediaBucket);
  const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(bytes)));
  expect(manifest, key).toMatchObject({ status: 'ready', source: { key, bytes: bytes.length } });
  for (const preview of manifest!.previews) expect((await store.head(preview.key))?.bytes, preview.key).toBe(preview.bytes);
  expect(await danglingReferences(store)).toEqual([]);
}

it('an ingest worker killed by SIGKILL mid-item, right after its third write, is finished by the redelivery', async () => {
  const running = await start({ seed: 1, rate: 1, withinMs: 0, afterWrite: 3, limit: 1 }, 'mid-item');
  const photo = await makeJpeg(480, 360, '#2050a0');
  await running.upload('uploads/killed/photo.jpg', photo);
  await running.waitForIdle(60_000);
  expect(running.processKills()).toBe(1);
  // The killed invocation answered nothing (its batch failed whole); the redelivery finished the item.
  expect(running.failedMessages()).toBe(1);
  expect(running.processedMessages()).toBe(2);
  expect(await running.countOutcomes()).toEqual({ uploads: 1, items: 1, errors: 0 });
  await expectReadyItem(running, 'uploads/killed/photo.jpg', photo);
}, 90_000);

it('workers of every stage killed at random moments still end with one ready item per upload', async () => {
  const running = await start({ seed: 7, rate: 0.4, withinMs: 250 }, 'random-moments');
  const uploads = new Map<string, Buffer>();
  for (let index = 0; index < 6; index += 1) {
    const make = index % 2 ? makePng : makeJpeg;
    uploads.set(
      `uploads/random/${index}.img`,
      await make(200 + 24 * index, 150 + 10 * index, `#${(0x405060 + index * 0x151515).toString(16)}`),
    );
  }
  for (const [key, bytes] of uploads) await running.upload(key, bytes);
  await running.waitForIdle(120_000);
  expect(running.processKills()).toBeGreaterThan(0);
  expect(await running.countOutcomes()).toEqual({ uploads: uploads.size, items: uploads.size, errors: 0 });
  for (const [key, bytes] of uploads) await expectReadyItem(running, key, bytes);
}, 150_000);
