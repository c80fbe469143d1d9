/**
 * Nothing lost under faults: at least 1000 uploads of real photographs (and 5%
 * bad files) through the local mode, once clean and once with the fault
 * switch on: a quarter of handler invocations crash at a random write step
 * (half by throwing, half by killing the worker mid-batch), some stall past
 * the visibility timeout, every S3 event is delivered two or three times, and
 * s3:TestEvent and unknown messages are mixed in; with --network-faults a
 * faulty network (local/faultProxy.ts) between the pipeline and the emulators
 * also throttles, fails, resets, truncates and delays requests of every kind.
 * After the queues drain,
 * reconciliation runs once (as `npm start` does), and the bucket is audited
 * against what the client sent, from S3 alone (bench/faults/independentAudit.ts):
 * every good file a complete ready item, every bad file one specific error
 * record, no item no upload explains, nothing unnamed, the index holding
 * exactly the ready items. Both runs use the same uploads and the same
 * (shortened) visibility timeout; the clean run is the reference.
 *
 *   npm run bench:faults [-- --uploads 1000 --network-faults]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noFaults, type FaultPlan, type FaultStats } from '../functions/adapters/faults/index.js';
import { networkFaultKinds, operationKinds, startLocalPipeline, uniformFaultRates, type FaultProxyStats } from '../local/index.js';
import { messageCounts } from '../functions/adapters/store/index.js';
import { auditIndependently, type IndependentAudit } from './faults/independentAudit.js';
import { buildUploadSet, type BenchUpload } from './faults/uploadSet.js';

const uploadCount = Number(process.argv[process.argv.indexOf('--uploads') + 1]) || 1000;
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
  deliveries: { min: 2, max: 3 },
  testEventRate: 0.05,
  unknownMessageRate: 0.05,
};
/**
 * The network between the pipeline and the emulators, in the fault run: every
 * operation kind (S3 reads, writes, lists, deletes; SQS sends, receives,
 * deletes) meets each fault kind (latency, throttling, 500s, resets, truncated
 * responses) at this rate per request.
 */
const networkFaultRate = 0.004;
/**
 * Opt-in for now (`-- --network-faults`): at a few hundred uploads the local
 * mode dies of an uncaught ECONNRESET "aborted" under it (reported, not yet found).
 */
const withNetworkFaults = process.argv.includes('--network-faults');
const uploadConcurrency = 8;
const round1 = (value: number) => Math.round(value * 10) / 10;

interface RunResult {
  audit: IndependentAudit;
  /** Messages left in the ingest and video dead-letter queues. */
  deadLetters: number;
  /** Index entries reconciliation announced again or removed. */
  indexRepairedByReconcile: number;
  /** What the faulty network injected, S3 and SQS together; undefined on the clean run. */
  network: FaultProxyStats[] | undefined;
  wallSeconds: number;
  requeuedByReconcile: number;
  faults: FaultStats;
  messagesHandled: number;
}

async function run(uploads: readonly BenchUpload[], faults: FaultPlan | undefined): Promise<RunResult> {
  const network =
    faults && withNetworkFaults
      ? { seed: faults.seed + 1, rates: uniformFaultRates(operationKinds, networkFaultKinds, networkFaultRate) }
      : undefined;
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-faults-'));
  const pipeline = await startLocalPipeline({
    dataDir,
    ports: 'random',
    handlerLogLevel: 'SILENT',
    // The video queue keeps its own: no video here, and a video job would outlast a short timeout.
    visibilityTimeoutSeconds: { ingest: visibilityTimeoutSeconds, index: visibilityTimeoutSeconds },
    faults,
    ...(network ? { faultProxy: network } : {}),
  });
  try {
    const started = performance.now();
    for (let start = 0; start < uploads.length; start += uploadConcurrency) {
      await Promise.all(uploads.slice(start, start + uploadConcurrency).map((upload) => pipeline.upload(upload.key, upload.bytes)));
    }
    await pipeline.waitForIdle(60 * 60_000);
    // What `npm start` does at start and the scheduled function hourly: anything whose event was lost for good goes round again.
    const requeuedByReconcile = await pipeline.reconcile();
    if (requeuedByReconcile > 0) await pipeline.waitForIdle(60 * 60_000);
    const { reannounced, removed } = await pipeline.reconcileIndex();
    if (reannounced.length + removed.length > 0) await pipeline.waitForIdle(60 * 60_000);
    const wallSeconds = (performance.now() - started) / 1000;
    let deadLetters = 0;
    for (const queue of [pipeline.resources.queues.ingest.deadLetter, pipeline.resources.queues.video.deadLetter]) {
      const counts = await messageCounts(pipeline.sqs, queue.url);
      deadLetters += counts.waiting + counts.inFlight;
    }
    return {
      audit: await auditIndependently(pipeline.s3, pipeline.resources.mediaBucket, uploads),
      deadLetters,
      indexRepairedByReconcile: reannounced.length + removed.length,
      network: pipeline.faultProxy ? [pipeline.faultProxy.s3.stats(), pipeline.faultProxy.sqs.stats()] : undefined,
      wallSeconds,
      requeuedByReconcile,
      faults: pipeline.faultStats(),
      messagesHandled: pipeline.processedMessages(),
    };
  } finally {
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

const clean = await run(uploads, undefined);
describeRun('clean', clean);
const faulty = await run(uploads, faultPlan);
describeRun('faults', faulty);
const { invocations, crashes, kills, stalls, testEvents, unknownMessages } = faulty.faults;
const crashFraction = crashes / invocations;
console.log(
  `injected: ${crashes} crashes in ${invocations} invocations (${round1(100 * crashFraction)}%; ${kills} killed the worker), ${stalls} stalls past the visibility timeout, ` +
    `${testEvents} s3:TestEvents, ${unknownMessages} unknown messages; every event delivered ${faultPlan.deliveries.min}-${faultPlan.deliveries.max} times`,
);
const proxyFaults: Record<string, number> = {};
for (const stats of faulty.network ?? [])
  for (const [operation, byFault] of Object.entries(stats.injected))
    for (const [fault, count] of Object.entries(byFault))
      if (count > 0) proxyFaults[`${operation}/${fault}`] = (proxyFaults[`${operation}/${fault}`] ?? 0) + count;
const proxyFaultCount = Object.values(proxyFaults).reduce((sum, count) => sum + count, 0);
console.log(
  `network faults injected: ${proxyFaultCount} (${Object.entries(proxyFaults)
    .map(([what, count]) => `${what} ${count}`)
    .join(', ')})`,
);
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
    message_error_records: faulty.audit.messageRecords,
    index_entries_mismatch: faulty.audit.indexEntriesMismatch,
    self_query_misses: faulty.audit.selfQueryMisses,
    clean_self_query_misses: clean.audit.selfQueryMisses,
    dlq: faulty.deadLetters,
    wall_s: round1(faulty.wallSeconds),
    clean_run_wall_s: round1(clean.wallSeconds),
    slowdown: round1(faulty.wallSeconds / clean.wallSeconds),
    crash_fraction: Math.round(crashFraction * 1000) / 1000,
    worker_kills: kills,
    proxy_faults: proxyFaultCount,
    requeued_by_reconcile: faulty.requeuedByReconcile,
    index_repaired_by_reconcile: faulty.indexRepairedByReconcile,
    clean_items: clean.audit.items,
    clean_lost: clean.audit.lost,
  }),
);
