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
 * - a whole-machine crash: the storage runs in this process (it stands for AWS), the pipeline in a process group
 *   of its own; half the uploads in, every process of the pipeline is killed at once (kill -9), and a new one
 *   starts on the same data and reconciles, as `npm start` does;
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
import { noFaults, type FaultPlan } from '../functions/adapters/faults/index.js';
import { numberArg } from './benchArgs.js';
import { cleanRun } from './faults/cleanRun.js';
import { faultRun } from './faults/faultRun.js';
import type { RunResult } from './faults/runResult.js';
import { buildUploadSet } from './faults/uploadSet.js';

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
const idleTimeoutMs = 60 * 60_000;
const round1 = (value: number) => Math.round(value * 10) / 10;

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

const clean = await cleanRun(uploads, visibilityTimeoutSeconds, idleTimeoutMs);
describeRun('clean', clean);
const faulty = await faultRun(uploads, {
  faults: faultPlan,
  networkFaultRate,
  processKills,
  apiRequests: apiRequestCount,
  visibilityTimeoutSeconds,
  idleTimeoutMs,
});
describeRun('faults', faulty);
const { invocations, crashes, kills, stalls, testEvents, unknownMessages } = faulty.faults;
const crashFraction = crashes / invocations;
console.log(
  `injected: ${faulty.machineRestarts} whole-pipeline crash (kill -9 of every process) and restart, ${faulty.processKills} worker processes SIGKILLed mid-invocation, ${crashes} crashes in ${invocations} invocations (${round1(100 * crashFraction)}%; ${kills} killed the invocation), ` +
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
for (const [saying, { count, path }] of Object.entries(api.unavailableSaying)) console.log(`  503 ×${count} (e.g. ${path}): ${saying}`);
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
    machine_restarts: faulty.machineRestarts,
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
