import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exitCodes } from '../../cli/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { createS3Client, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { getJson, itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { networkFaultKinds, uniformFaultRates, type FaultProxyStats, type NetworkFaultPlan } from '../../local/faultProxy.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import type { OperationKind } from '../../local/operationOf.js';
import { cli, localEndpointArgs } from '../helpers/cliProcess.js';
import { danglingReferences } from '../helpers/danglingReferences.js';
import { describeEachBackend, startMotoServer, type MotoServer } from '../helpers/motoServer.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/** Every operation kind the handlers, the CLI and reconciliation use (nothing of ours changes a message's visibility). */
const s3Operations: OperationKind[] = ['read', 'head', 'write', 'list', 'delete'];
const sqsOperations: OperationKind[] = ['send', 'receive', 'delete'];
/** Short, so a batch whose receive or delete was lost on the way comes back within the test. */
const visibilityTimeoutSeconds = { ingest: 3, index: 3 };

async function distinctImages(count: number, offset: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      (index % 2 ? makePng : makeJpeg)(
        160 + 12 * (index + offset),
        120 + 7 * index,
        `#${(0x302010 + (index + offset) * 0x0b1307).toString(16).slice(-6)}`,
      ),
    ),
  );
}

/** Exactly one ready item per upload, named after its bytes, whose previews exist; no error record, no other item, nothing dangling. */
async function expectOneReadyItemPerUpload(pipeline: LocalPipeline, uploads: ReadonlyMap<string, Buffer>): Promise<void> {
  // The test's own reads go straight to the emulator: what checks must not be faulted itself.
  const s3 = createS3Client({ ...pipeline.target.s3, endpoint: pipeline.faultProxy!.s3.upstream });
  const store = new S3ObjectStore(s3, pipeline.resources.mediaBucket);
  try {
    expect(await pipeline.countOutcomes()).toEqual({ uploads: uploads.size, items: uploads.size, errors: 0 });
    const manifests: string[] = [];
    for await (const key of store.listKeys(pipelineConfig.prefixes.items)) if (itemKeys.itemIdFromManifestKey(key)) manifests.push(key);
    expect(manifests.sort()).toEqual([...uploads.values()].map((bytes) => itemKeys.manifest(itemIdForContent(bytes))).sort());
    for (const [key, bytes] of uploads) {
      const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(bytes)));
      expect(manifest, key).toMatchObject({ status: 'ready', source: { key, bytes: bytes.length } });
      expect(manifest!.previews.length).toBeGreaterThan(0);
      for (const preview of manifest!.previews) expect((await store.head(preview.key))?.bytes, preview.key).toBe(preview.bytes);
    }
    expect(await danglingReferences(store)).toEqual([]);
  } finally {
    s3.destroy();
  }
}

/** Which fault kinds were injected at least once on each of `operations`. */
function injectedKinds(stats: FaultProxyStats, operations: readonly OperationKind[]): Record<string, string[]> {
  return Object.fromEntries(
    operations.map((operation) => [operation, networkFaultKinds.filter((fault) => stats.injected[operation][fault] > 0)]),
  );
}

const backends = [
  { name: 'embedded emulators (s3rver, fauxqs)', needsMotoServer: false },
  { name: 'moto_server', needsMotoServer: true },
] as const;

describeEachBackend(
  backends,
  (name) => `a faulty network between the pipeline and ${name}`,
  (backend) => {
    let workDir: string;
    const motoServers: MotoServer[] = [];
    const pipelines: LocalPipeline[] = [];
    const start = async (faultProxy: NetworkFaultPlan, dataDir: string) => {
      // A moto_server of its own per test: its bucket and queues are the test's alone, as a fresh data dir is for s3rver.
      const moto = backend.needsMotoServer ? await startMotoServer() : undefined;
      if (moto) motoServers.push(moto);
      const pipeline = await startLocalPipeline({
        dataDir,
        ports: 'random',
        handlerLogLevel: 'SILENT',
        visibilityTimeoutSeconds,
        faultProxy,
        ...(moto ? { endpoint: moto.endpoint } : {}),
      });
      pipelines.push(pipeline);
      return pipeline;
    };
    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'xr-faulty-network-'));
    });
    afterAll(async () => {
      for (const pipeline of pipelines) await pipeline.stop();
      for (const moto of motoServers) await moto.stop();
      await rm(workDir, { recursive: true, force: true });
    });

    it('survives one fault of each kind on each operation kind: one ready item per upload, previews and all', async () => {
      const pipeline = await start(
        { seed: 11, rates: {}, eachOnce: { faults: networkFaultKinds, operations: [...new Set([...s3Operations, ...sqsOperations])] } },
        join(workDir, 'each-once'),
      );
      const uploads = new Map((await distinctImages(6, 0)).map((bytes, index) => [`uploads/each-once/${index}.img`, bytes]));
      for (const [key, bytes] of uploads) await pipeline.upload(key, bytes);
      await pipeline.waitForIdle(50_000);
      // Reconciliation lists uploads/: a list fault of each kind, and a sweep that must find nothing left to do.
      const { s3 } = pipeline.faultProxy!;
      for (let sweep = 0; sweep < 12 && networkFaultKinds.some((fault) => s3.stats().injected.list[fault] === 0); sweep += 1) {
        await pipeline.reconcile().catch(() => undefined);
      }
      expect(await pipeline.reconcile()).toBe(0);
      await pipeline.waitForIdle(20_000);

      const all = [...networkFaultKinds];
      expect(injectedKinds(s3.stats(), s3Operations)).toEqual(Object.fromEntries(s3Operations.map((operation) => [operation, all])));
      expect(injectedKinds(pipeline.faultProxy!.sqs.stats(), sqsOperations)).toEqual(
        Object.fromEntries(sqsOperations.map((operation) => [operation, all])),
      );
      await expectOneReadyItemPerUpload(pipeline, uploads);
    });

    it('`upload --wait` through resets, 503s, 500s and cut-short responses on every operation kind exits 0 with every item', async () => {
      // Reconciliation is not part of an upload: no S3 list here (the test above has those).
      const operations: OperationKind[] = ['read', 'head', 'write', 'delete', 'send', 'receive'];
      const rates = uniformFaultRates(operations, ['reset', 'throttle', 'serverError', 'truncate'], 0.03);
      // A reset and a 503 for certain on each kind (the first writes are the CLI's own uploads), then the dice.
      const pipeline = await start(
        { seed: 2026, rates, eachOnce: { faults: ['reset', 'throttle'], operations } },
        join(workDir, 'cli-data'),
      );
      const album = join(workDir, 'album');
      await mkdir(album, { recursive: true });
      const images = await distinctImages(10, 20);
      const uploads = new Map<string, Buffer>();
      for (const [index, bytes] of images.entries()) {
        const name = `photo-${index}.${index % 2 ? 'png' : 'jpg'}`;
        await writeFile(join(album, name), bytes);
        uploads.set(`uploads/album/${name}`, bytes);
      }
      const run = await cli([...localEndpointArgs(pipeline), 'upload', '--wait', '--timeout', '50', album]);
      expect(run.stderr).not.toContain('not uploaded');
      expect(run.code, run.stdout).toBe(exitCodes.ok);
      for (const key of uploads.keys()) expect(run.stdout).toContain(`-> ${key}`);
      expect(run.stdout).toContain('items 10, rejected 0, still processing 0');
      await pipeline.waitForIdle(30_000);
      const { s3, sqs } = pipeline.faultProxy!;
      for (const [kinds, stats] of [
        [s3Operations.filter((operation) => operation !== 'list'), s3.stats()],
        [sqsOperations, sqs.stats()],
      ] as const) {
        for (const [operation, injected] of Object.entries(injectedKinds(stats, kinds))) {
          expect(injected, operation).toEqual(expect.arrayContaining(['reset', 'throttle']));
        }
      }
      await expectOneReadyItemPerUpload(pipeline, uploads);
    });
  },
);
