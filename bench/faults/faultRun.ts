import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FaultPlan } from '../../functions/adapters/faults/index.js';
import { createS3Client, createSqsClient, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { itemIdForContent, itemKeys } from '../../functions/domain/items/index.js';
import {
  addFaultStats,
  networkFaultKinds,
  operationKinds,
  startPipelineProcess,
  startStorageHost,
  uniformFaultRates,
  type PipelineProcess,
  type ProcessKillPlan,
  type StorageHost,
} from '../../local/index.js';
import { fuzzApi, type ApiFuzzResult } from './apiFuzz.js';
import { auditIndependently } from './independentAudit.js';
import { deadLetterCount, uploadAll, type RunResult } from './runResult.js';
import type { BenchUpload } from './uploadSet.js';

export interface FaultRunPlan {
  faults: FaultPlan;
  /** Every operation kind meets each network fault kind at this rate per request. */
  networkFaultRate: number;
  processKills: ProcessKillPlan;
  apiRequests: number;
  visibilityTimeoutSeconds: number;
  idleTimeoutMs: number;
}

/** The API fuzz, once the first good upload is a ready item to aim at. */
async function fuzzOnceAnItemIsReady(
  pipeline: PipelineProcess,
  s3: S3Client,
  bucket: string,
  uploads: readonly BenchUpload[],
  plan: FaultRunPlan,
): Promise<ApiFuzzResult> {
  const itemId = itemIdForContent(uploads.find((upload) => !upload.poison)!.bytes);
  const store = new S3ObjectStore(s3, bucket);
  while (!(await store.head(itemKeys.manifest(itemId)))) await new Promise((resolve) => setTimeout(resolve, 500));
  return fuzzApi({ viewerUrl: pipeline.viewerUrl, directS3: s3, bucket, itemId, count: plan.apiRequests, seed: plan.faults.seed });
}

/** Every event S3 reported is on the queue, and the pipeline has nothing queued or in hand. */
async function waitForIdle(storage: StorageHost, pipeline: PipelineProcess, timeoutMs: number): Promise<void> {
  while (storage.pendingEvents() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await pipeline.waitForIdle(timeoutMs);
}

/**
 * Everything at once: the storage in this process (it stands for AWS, which does not crash with our code), the
 * pipeline in a process group of its own, with worker processes SIGKILLed at random, the fault switch on and the
 * faulty network between it and the storage. Half the uploads in, the whole pipeline dies (kill -9 of every one
 * of its processes); it starts again on the same data, reconciles, and takes the other half while the API is fuzzed.
 */
export async function faultRun(uploads: readonly BenchUpload[], plan: FaultRunPlan): Promise<RunResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-faults-'));
  const visibilityTimeoutSeconds = { ingest: plan.visibilityTimeoutSeconds, index: plan.visibilityTimeoutSeconds };
  const storage = await startStorageHost({ dataDir, visibilityTimeoutSeconds, faults: plan.faults });
  const { local } = pipelineConfig;
  const target = { region: local.region, credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey } };
  const s3 = createS3Client({ ...target, endpoint: storage.s3Endpoint });
  const sqs = createSqsClient({ ...target, endpoint: storage.sqsEndpoint });
  const bucket = storage.resources.mediaBucket;
  const lives: PipelineProcess[] = [];
  const startPipeline = async (life: number) => {
    const pipeline = await startPipelineProcess({
      dataDir,
      storage: { s3Endpoint: storage.s3Endpoint, sqsEndpoint: storage.sqsEndpoint },
      ports: 'random',
      // The injected crashes would drown everything else; an API answer of 500 is a finding, and says why on stderr.
      handlerLogLevel: { '*': 'SILENT', api: 'ERROR' },
      visibilityTimeoutSeconds,
      // Each life draws its own faults: a restart does not replay the first one's.
      faults: { ...plan.faults, seed: plan.faults.seed + 101 * life },
      faultProxy: {
        seed: plan.faults.seed + 1 + 101 * life,
        rates: uniformFaultRates(operationKinds, networkFaultKinds, plan.networkFaultRate),
      },
      workerProcesses: { kills: { ...plan.processKills, seed: plan.processKills.seed + 101 * life } },
    });
    lives.push(pipeline);
    return pipeline;
  };
  try {
    const started = performance.now();
    const first = await startPipeline(0);
    const half = Math.floor(uploads.length / 2);
    await uploadAll(s3, bucket, uploads.slice(0, half));
    await first.crash();
    const second = await startPipeline(1);
    const api = fuzzOnceAnItemIsReady(second, s3, bucket, uploads, plan);
    await uploadAll(s3, bucket, uploads.slice(half));
    await waitForIdle(storage, second, plan.idleTimeoutMs);
    const apiResult = await api;
    // The final sweep, as the scheduled one would come; every queue idle, so no commit is in progress and a pack no
    // manifest names is a dead indexer's, whatever its age. Again until a sweep finds nothing.
    const sweeps = [second.startupSweep];
    for (let round = 0; round < 3; round += 1) {
      const sweep = await second.reconcile({ orphanMinAgeMs: 0 });
      sweeps.push(sweep);
      if (sweep.requeued + sweep.indexRepaired === 0) break;
      await waitForIdle(storage, second, plan.idleTimeoutMs);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const statuses = lives.flatMap((life) => {
      const status = life.status();
      return status ? [status] : [];
    });
    return {
      audit: await auditIndependently(s3, bucket, uploads),
      deadLetters: await deadLetterCount(sqs, storage.resources),
      indexRepairedByReconcile: sweeps.reduce((sum, sweep) => sum + sweep.indexRepaired, 0),
      orphanPacksRemoved: sweeps.reduce((sum, sweep) => sum + sweep.orphansRemoved, 0),
      requeuedByReconcile: sweeps.reduce((sum, sweep) => sum + sweep.requeued, 0),
      reconcileRetries: sweeps.reduce((sum, sweep) => sum + sweep.retries, 0),
      network: statuses.flatMap((status) => status.network),
      api: apiResult,
      wallSeconds,
      faults: statuses.map((status) => status.faults).reduce(addFaultStats),
      processKills: statuses.reduce((sum, status) => sum + status.processKills, 0),
      machineRestarts: lives.length - 1,
      messagesHandled: statuses.reduce((sum, status) => sum + status.processedMessages, 0),
    };
  } finally {
    for (const life of lives) await life.stop();
    s3.destroy();
    sqs.destroy();
    await storage.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
