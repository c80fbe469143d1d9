/**
 * Nothing lost under faults: 5000 uploads of real photographs (5% of them bad files) through the local mode, once
 * clean and once with every fault at once:
 * - the fault switch: a quarter of handler invocations crash at a random write step (half by throwing, half by
 *   killing the worker's invocation), some stall past the visibility timeout, every S3 event is delivered one to
 *   three times, and s3:TestEvents and unknown messages are mixed in;
 * - worker processes (local/processWorker.ts): each stage's workers, the indexer's too, run in child processes
 *   that are SIGKILLed at random moments, mid-item and mid-write;
 * - a faulty network (local/faultProxy.ts) between every part of the pipeline (handlers, indexer, API,
 *   reconciliation) and the storage: latency, throttling, 500s, resets and truncated responses on every S3 and
 *   SQS operation kind;
 * - the HTTP API fuzzed meanwhile (tests/helpers/httpFuzz.ts): every answer right, a 4xx with a sentence, or a
 *   503 saying the storage is unavailable.
 * After the queues drain, reconciliation runs (uploads, then the index), and the bucket is audited against what
 * the client sent, from S3 alone and not through the faulty network (bench/faults/independentAudit.ts). Both
 * runs use the same uploads and the same (shortened) visibility timeout; the clean run is the reference.
 *
 *   npm run bench:faults [-- --uploads 5000 | --quick]
 *
 * Ends with one JSON line of figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { noFaults, type FaultPlan, type FaultStats } from '../functions/adapters/faults/index.js';
import { createS3Client, createSqsClient, messageCounts, S3ObjectStore } from '../functions/adapters/store/index.js';
import { itemIdForContent, itemKeys } from '../functions/domain/items/index.js';
import {
  networkFaultKinds,
  operationKinds,
  startLocalPipeline,
  uniformFaultRates,
  type FaultProxyStats,
  type LocalPipeline,
} from '../local/index.js';
import { numberArg } from './benchArgs.js';
import { fuzzApi, type ApiFuzzResult } from './faults/apiFuzz.js';
import { auditIndependently, type IndependentAudit } from './faults/independentAudit.js';
import { buildUploadSet, type BenchUpload } from './faults/uploadSet.js';

const quick = process.argv.includes('--quick');
const uploadCount = numberArg('uploads', quick ? 300 : 5000);
const apiRequestCount = numberArg('api-requests', quick ? 200 : 1000);
const poisonFraction = 0.05;
/** Short, so killed batches come back in seconds; both runs use it. */
const visibilityTimeoutSeconds = 4;
const faultPlan: FaultPlan = {
  ...noFaults,
  seed: 2026,
  crashRate: 0.25,
  crashModes: ['throw', 'kill'],
  // A batch of ten deliveries takes some 40-150 writes: most crashes land inside it, the rest after it, before the ack.
  crashWithinWrites: 60,
  stallRate: 0.03,
  stallMs: (visibilityTimeoutSeconds + 2) * 1000,
  deliveries: { min: 1, max: 3 },
  testEventRate: 0.05,
  unknownMessageRate: 0.05,
};
/** Every operation kind meets each fault kind at this rate per request. */
const networkFaultRate = 0.004;
/** A tenth of invocations lose their process at a moment within their first 3 s (a batch takes about 1-5 s). */
const processKills = { seed: 2028, rate: 0.1, withinMs: 3000 };
const uploadConcurrency = 8;
const idleTimeoutMs = 60 * 60_000;
const round1 = (value: number) => Math.round(value * 10) / 10;

interface RunResult {
  audit: IndependentAudit;
  /** Messages left in the ingest and video dead-letter queues. */
  deadLetters: number;
  /** Index entries reconciliation announced again or removed. */
  indexRepairedByReconcile: number;
  /** Packs a killed indexer left, which reconciliation deleted. */
  orphanPacksRemoved: number;
  requeuedByReconcile: number;
  /** Sweeps that failed whole (the faulty network) and were run again. */
  reconcileRetries: number;
  /** What the faulty network injected, S3 and SQS together; empty on the clean run. */
  network: FaultProxyStats[];
  api: ApiFuzzResult | undefined;
  wallSeconds: number;
  faults: FaultStats;
  processKills: number;
  messagesHandled: number;
}

/** The client's uploads, straight to the storage: a user's connection is not the pipeline's network. */
async function uploadAll(s3: S3Client, bucket: string, uploads: readonly BenchUpload[]): Promise<void> {
  for (let start = 0; start < uploads.length; start += uploadConcurrency) {
    await Promise.all(
      uploads
        .slice(start, start + uploadConcurrency)
        .map((upload) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: upload.bytes }))),
    );
  }
}

/** The API fuzz, once the first good upload is a ready item to aim at. */
async function fuzzOnceAnItemIsReady(pipeline: LocalPipeline, directS3: S3Client, uploads: readonly BenchUpload[]): Promise<ApiFuzzResult> {
  const bucket = pipeline.resources.mediaBucket;
  const store = new S3ObjectStore(directS3, bucket);
  const itemId = itemIdForContent(uploads.find((upload) => !upload.poison)!.bytes);
  while (!(await store.head(itemKeys.manifest(itemId)))) await new Promise((resolve) => setTimeout(resolve, 500));
  return fuzzApi({ viewerUrl: pipeline.viewerUrl, directS3, bucket, itemId, count: apiRequestCount, seed: faultPlan.seed });
}

/** A sweep through the faulty network may fail whole; like the scheduled one, it is simply run again. */
async function sweep<T>(run: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt === 5) throw error;
      onRetry();
    }
  }
}

async function run(uploads: readonly BenchUpload[], faulty: boolean): Promise<RunResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-faults-'));
  const pipeline = await startLocalPipeline({
    dataDir,
    ports: 'random',
    handlerLogLevel: 'SILENT',
    // The video queue keeps its own: no video here, and a video job would outlast a short timeout.
    visibilityTimeoutSeconds: { ingest: visibilityTimeoutSeconds, index: visibilityTimeoutSeconds },
    ...(faulty
      ? {
          faults: faultPlan,
          faultProxy: { seed: faultPlan.seed + 1, rates: uniformFaultRates(operationKinds, networkFaultKinds, networkFaultRate) },
          workerProcesses: { kills: processKills },
        }
      : {}),
  });
  // The bench's own reads, writes and counts go straight to the emulators: what measures must not be faulted itself.
  const directS3 = createS3Client({ ...pipeline.target.s3, endpoint: pipeline.faultProxy?.s3.upstream ?? pipeline.target.s3.endpoint });
  const directSqs = createSqsClient({
    ...pipeline.target.sqs,
    endpoint: pipeline.faultProxy?.sqs.upstream ?? pipeline.target.sqs.endpoint,
  });
  const bucket = pipeline.resources.mediaBucket;
  let reconcileRetries = 0;
  try {
    const started = performance.now();
    const api = faulty ? fuzzOnceAnItemIsReady(pipeline, directS3, uploads) : undefined;
    await uploadAll(directS3, bucket, uploads);
    await pipeline.waitForIdle(idleTimeoutMs);
    const apiResult = await api;
    // What `npm start` does at start and the scheduled function daily: anything whose event was lost for good goes round again.
    const requeuedByReconcile = await sweep(
      () => pipeline.reconcile(),
      () => (reconcileRetries += 1),
    );
    if (requeuedByReconcile > 0) await pipeline.waitForIdle(idleTimeoutMs);
    // Every queue is idle, so no commit is in progress: any pack no manifest names is a dead indexer's, whatever its age.
    const { reannounced, removed, orphansRemoved } = await sweep(
      () => pipeline.reconcileIndex({ orphanMinAgeMs: 0 }),
      () => (reconcileRetries += 1),
    );
    if (reannounced.length + removed.length > 0) await pipeline.waitForIdle(idleTimeoutMs);
    const wallSeconds = (performance.now() - started) / 1000;
    let deadLetters = 0;
    for (const queue of [pipeline.resources.queues.ingest.deadLetter, pipeline.resources.queues.video.deadLetter]) {
      const counts = await messageCounts(directSqs, queue.url);
      deadLetters += counts.waiting + counts.inFlight;
    }
    return {
      audit: await auditIndependently(directS3, bucket, uploads),
      deadLetters,
      indexRepairedByReconcile: reannounced.length + removed.length,
      orphanPacksRemoved: orphansRemoved.length,
      requeuedByReconcile,
      reconcileRetries,
      network: pipeline.faultProxy ? [pipeline.faultProxy.s3.stats(), pipeline.faultProxy.sqs.stats()] : [],
      api: apiResult,
      wallSeconds,
      faults: pipeline.faultStats(),
      processKills: pipeline.processKills(),
      messagesHandled: pipeline.processedMessages(),
    };
  } finally {
    directS3.destroy();
    directSqs.destroy();
    await pipeline.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function describeRun(label: string, result: RunResult): void {
  const { audit } = result;
  console.log(
    `${label}: ${audit.uploads} uploads -> ${audit.items} items, ${audit.errors} error records, ${audit.lost} lost, ${audit.duplicateItems} extra items, ` +
      `${audit.wrongItems} wrong items, ${audit.orphanObjects} orphan objects, ${audit.messageRecords} error records about unreadable messages, index mismatch ${audit.indexEntriesMismatch}, ${audit.selfQueryMisses} self-query misses, ` +
      `${result.deadLetters} dead letters, ${result.requeuedByReconcile} re-enqueued by reconciliation, ${result.messagesHandled} messages handled, ${round1(result.wallSeconds)} s`,
  );
  for (const problem of audit.problems.slice(0, 10)) console.log(`  ${problem}`);
}

const uploads = await buildUploadSet(uploadCount, poisonFraction, 7);
console.log(
  `${uploads.length} uploads (${uploads.filter((upload) => upload.poison).length} bad files), ${Math.round(uploads.reduce((sum, upload) => sum + upload.bytes.length, 0) / 1024)} KiB`,
);

const clean = await run(uploads, false);
describeRun('clean', clean);
const faulty = await run(uploads, true);
describeRun('faults', faulty);
const { invocations, crashes, kills, stalls, testEvents, unknownMessages } = faulty.faults;
const crashFraction = crashes / invocations;
console.log(
  `injected: ${faulty.processKills} worker processes SIGKILLed mid-invocation, ${crashes} crashes in ${invocations} invocations (${round1(100 * crashFraction)}%; ${kills} killed the invocation), ` +
    `${stalls} stalls past the visibility timeout, ${testEvents} s3:TestEvents, ${unknownMessages} unknown messages; every event delivered ${faultPlan.deliveries.min}-${faultPlan.deliveries.max} times`,
);
const proxyFaults: Record<string, number> = {};
for (const stats of faulty.network)
  for (const [operation, byFault] of Object.entries(stats.injected))
    for (const [fault, count] of Object.entries(byFault))
      if (count > 0) proxyFaults[`${operation}/${fault}`] = (proxyFaults[`${operation}/${fault}`] ?? 0) + count;
const proxyFaultCount = Object.values(proxyFaults).reduce((sum, count) => sum + count, 0);
console.log(
  `network faults injected: ${proxyFaultCount} (${Object.entries(proxyFaults)
    .map(([what, count]) => `${what} ${count}`)
    .join(', ')})`,
);
const api = faulty.api!;
console.log(
  `API fuzzed meanwhile: ${api.requests} requests, ${api.unavailable} answered 503 (storage unavailable) with a sentence, ${api.serverErrors} other 5xx, ` +
    `${api.wrong} wrong answers, ${api.unanswered} unanswered`,
);
for (const problem of api.problems.slice(0, 10)) console.log(`  ${problem}`);
console.log(`slowdown against the clean run: ${round1(faulty.wallSeconds / clean.wallSeconds)}x`);

console.log(
  JSON.stringify({
    uploads: faulty.audit.uploads,
    items: faulty.audit.items,
    errors: faulty.audit.errors,
    lost: faulty.audit.lost,
    duplicate_items: faulty.audit.duplicateItems,
    wrong_items: faulty.audit.wrongItems,
    orphan_objects: faulty.audit.orphanObjects,
    index_entries_mismatch: faulty.audit.indexEntriesMismatch,
    dlq: faulty.deadLetters,
    process_kills: faulty.processKills,
    proxy_faults: proxyFaultCount,
    machine_restarts: 0,
    api_requests_fuzzed: api.requests,
    api_5xx: api.serverErrors,
    wall_s: round1(faulty.wallSeconds),
    clean_run_wall_s: round1(clean.wallSeconds),
    api_503: api.unavailable,
    api_wrong: api.wrong,
    api_unanswered: api.unanswered,
    message_error_records: faulty.audit.messageRecords,
    self_query_misses: faulty.audit.selfQueryMisses,
    clean_self_query_misses: clean.audit.selfQueryMisses,
    slowdown: round1(faulty.wallSeconds / clean.wallSeconds),
    crash_fraction: Math.round(crashFraction * 1000) / 1000,
    worker_kills: kills,
    requeued_by_reconcile: faulty.requeuedByReconcile,
    index_repaired_by_reconcile: faulty.indexRepairedByReconcile,
    reconcile_retries: faulty.reconcileRetries,
    orphan_packs_removed_by_reconcile: faulty.orphanPacksRemoved,
    clean_items: clean.audit.items,
    clean_lost: clean.audit.lost,
  }),
);
