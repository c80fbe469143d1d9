import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { createFaultInjection, noFaults, WorkerKilledError, type CrashMode } from '../../functions/adapters/faults/index.js';
import { createIngestHandler } from '../../functions/handlers/ingestWorker.js';
import { findUnprocessedUploads } from '../../functions/stages/reconcile/index.js';
import {
  getJson,
  itemIdForContent,
  itemKeys,
  type ErrorRecord,
  type ItemManifest,
  type ObjectStore,
} from '../../functions/domain/items/index.js';
import { danglingReferences } from '../helpers/danglingReferences.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';
import { sqsEvent, testContext, uploadCreatedRecord } from '../helpers/sqsEvents.js';
import { makeJpeg, makePng, makeWebp } from '../helpers/testImages.js';

/**
 * Crashes the ingest handler right after each of its write steps in turn,
 * for every step it takes, and checks after each crash that no manifest names
 * a missing object and that the upload is either finished or found by
 * reconciliation; then that one more delivery finishes it exactly as a clean
 * run does. The crash comes from the fault switch (functions/adapters/faults) around a
 * real store on s3rver; 'kill' also stops the rest of the batch dead.
 */
const key = 'uploads/crash/photo one.jpg';
const bystanderKey = 'uploads/crash/bystander.png';

interface Scenario {
  name: string;
  /** Leaves the bucket as it is when the event under test arrives. */
  setup(): Promise<void>;
  /** Whether the upload under test has its final outcome already. */
  finished(): Promise<boolean>;
  /** The bucket after the event is fully handled. */
  check(): Promise<void>;
}

describe('a crash after any write step', () => {
  let backend: EmulatedBackend;
  let bucket: string;
  let store: ObjectStore;
  let photo: Buffer;
  let replacement: Buffer;
  let bystander: Buffer;
  const logger = new Logger({ serviceName: 'ingest', logLevel: 'SILENT' });
  // One headset profile: fewer tiles, so fewer (identical in kind) steps to crash at.
  const foveation = { ...pipelineConfig.foveation, profiles: ['quest-3'] };
  const handlerOver = (handlerStore: ObjectStore) =>
    createIngestHandler({
      store: handlerStore,
      limits: pipelineConfig.image,
      foveation,
      maxReceiveCount: pipelineConfig.ingest.maxReceiveCount,
      logger,
    });
  const batch = (receiveCount: number, withBystander: boolean) =>
    sqsEvent(
      uploadCreatedRecord(bucket, key, { receiveCount }),
      ...(withBystander ? [uploadCreatedRecord(bucket, bystanderKey, { receiveCount })] : []),
    );

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    store = backend.store;
    bucket = backend.resources.mediaBucket;
    // Small: every step re-runs the whole item, and the write order does not depend on the size.
    // The photo is wide enough to get layers of several PPDs (a smaller one is planned on a smaller panel, with fewer files).
    [photo, replacement, bystander] = await Promise.all([makeJpeg(480, 320, '#a03010'), makeWebp(160, 240, '#1060a0'), makePng(128, 128)]);
  });

  afterAll(() => backend?.stop());

  async function readyManifest(bytes: Uint8Array, uploadKey: string): Promise<ItemManifest> {
    const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(bytes)));
    expect(manifest, uploadKey).toMatchObject({ status: 'ready', source: { key: uploadKey } });
    expect(await store.head(itemKeys.errorRecord(uploadKey)), `error record for ${uploadKey}`).toBeUndefined();
    return manifest!;
  }

  async function unprocessedUploads(): Promise<string[]> {
    const unprocessed: string[] = [];
    for await (const found of findUnprocessedUploads(store)) unprocessed.push(found);
    return unprocessed;
  }

  const isReady = async (bytes: Uint8Array) =>
    (await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(bytes))))?.status === 'ready';

  const putUpload = (bytes: Uint8Array) => store.put(key, bytes, { contentType: 'application/octet-stream' });
  /** The key held `photo`, which became an item, before its new bytes arrive. */
  const photoIngestedThenReplacedBy = async (bytes: Uint8Array) => {
    await store.put(key, photo, { contentType: 'image/jpeg' });
    expect((await handlerOver(store)(sqsEvent(uploadCreatedRecord(bucket, key)), testContext())).batchItemFailures).toEqual([]);
    await putUpload(bytes);
  };
  const photoItemGone = async () => expect(await store.head(itemKeys.manifest(itemIdForContent(photo)))).toBeUndefined();

  const scenarios: Scenario[] = [
    {
      name: 'a new photo',
      setup: () => putUpload(photo),
      finished: () => isReady(photo),
      check: async () => void (await readyManifest(photo, key)),
    },
    {
      name: 'a photo replaced by another',
      setup: () => photoIngestedThenReplacedBy(replacement),
      finished: () => isReady(replacement),
      check: async () => {
        await readyManifest(replacement, key);
        await photoItemGone();
      },
    },
    {
      name: 'a photo replaced by a truncated file',
      setup: () => photoIngestedThenReplacedBy(photo.subarray(0, photo.length / 2)),
      finished: async () => (await getJson<ErrorRecord>(store, itemKeys.errorRecord(key)))?.code === 'truncated',
      check: async () => {
        expect(await getJson<ErrorRecord>(store, itemKeys.errorRecord(key))).toMatchObject({ key, code: 'truncated' });
        await photoItemGone();
      },
    },
  ];

  /**
   * A kill stops the whole batch dead, so it runs with a batch-mate whose
   * steps are crash points too; a throw fails one record, whose steps are the
   * same whatever else is in the batch.
   */
  const cases: [string, CrashMode, 'with a batch-mate' | 'alone'][] = [
    ['a new photo', 'throw', 'alone'],
    ['a new photo', 'kill', 'with a batch-mate'],
    ['a photo replaced by another', 'throw', 'alone'],
    ['a photo replaced by a truncated file', 'throw', 'alone'],
  ];

  it.each(cases)(
    '%s (%s, %s): no manifest names a missing object, nothing is lost, one retry finishes it',
    async (name, mode, company) => {
      const scenario = scenarios.find((candidate) => candidate.name === name)!;
      const withBystander = company === 'with a batch-mate';
      let crashedSteps = 0;
      for (let step = 1; ; step += 1) {
        await backend.emptyBucket();
        await scenario.setup();
        if (withBystander) await store.put(bystanderKey, bystander, { contentType: 'image/png' });
        const faults = createFaultInjection({ ...noFaults, crashAfterWrite: step, crashModes: [mode] });
        const crashing = faults.wrapHandler(handlerOver(faults.wrapStore(store)));
        const ranToTheEnd = await crashing(batch(1, withBystander), testContext()).then(
          () => false,
          (error: unknown) => {
            if (!(error instanceof WorkerKilledError)) throw error;
            return error.step === 'end';
          },
        );

        expect(await danglingReferences(store), `after a crash at step ${step}`).toEqual([]);
        // Each upload has its final outcome, or reconciliation will find it: none is lost.
        const unprocessed = await unprocessedUploads();
        expect((await scenario.finished()) || unprocessed.includes(key), `after step ${step}: ${key} is lost`).toBe(true);
        if (withBystander)
          expect((await isReady(bystander)) || unprocessed.includes(bystanderKey), `after step ${step}: the batch-mate is lost`).toBe(true);

        const retried = await handlerOver(store)(batch(2, withBystander), testContext());
        expect(retried.batchItemFailures, `retry after step ${step}`).toEqual([]);
        await scenario.check();
        if (withBystander) await readyManifest(bystander, bystanderKey);
        expect(await danglingReferences(store)).toEqual([]);
        expect(await unprocessedUploads(), `after the retry of step ${step}`).toEqual([]);
        if (ranToTheEnd) break;
        crashedSteps += 1;
      }
      // Every write was a crash point: even a rejection takes a few, a photo a dozen or more.
      expect(crashedSteps).toBeGreaterThanOrEqual(name === 'a photo replaced by a truncated file' ? 3 : 12);
    },
    600_000,
  );
});
