import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Client, createSqsClient } from '../../functions/adapters/store/index.js';
import { startLocalPipeline } from '../../local/index.js';
import { auditIndependently } from './independentAudit.js';
import { deadLetterCount, uploadAll, type RunResult } from './runResult.js';
import type { BenchUpload } from './uploadSet.js';

/** The reference: the same uploads through the local mode in one process, nothing faulted. */
export async function cleanRun(
  uploads: readonly BenchUpload[],
  visibilityTimeoutSeconds: number,
  idleTimeoutMs: number,
): Promise<RunResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-clean-'));
  const pipeline = await startLocalPipeline({
    dataDir,
    ports: 'random',
    handlerLogLevel: 'SILENT',
    // The video queue keeps its own: no video here, and a video job would outlast a short timeout.
    visibilityTimeoutSeconds: { ingest: visibilityTimeoutSeconds, index: visibilityTimeoutSeconds },
  });
  const s3 = createS3Client(pipeline.target.s3);
  const sqs = createSqsClient(pipeline.target.sqs);
  try {
    const started = performance.now();
    await uploadAll(s3, pipeline.resources.mediaBucket, uploads);
    await pipeline.waitForIdle(idleTimeoutMs);
    const requeuedByReconcile = await pipeline.reconcile();
    if (requeuedByReconcile > 0) await pipeline.waitForIdle(idleTimeoutMs);
    const { reannounced, removed, orphansRemoved } = await pipeline.reconcileIndex({ orphanMinAgeMs: 0 });
    if (reannounced.length + removed.length > 0) await pipeline.waitForIdle(idleTimeoutMs);
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      audit: await auditIndependently(s3, pipeline.resources.mediaBucket, uploads),
      deadLetters: await deadLetterCount(sqs, pipeline.resources),
      indexRepairedByReconcile: reannounced.length + removed.length,
      orphanPacksRemoved: orphansRemoved.length,
      requeuedByReconcile,
      reconcileRetries: 0,
      network: [],
      api: undefined,
      wallSeconds,
      faults: pipeline.faultStats(),
      processKills: 0,
      machineRestarts: 0,
      messagesHandled: pipeline.processedMessages(),
    };
  } finally {
    s3.destroy();
    sqs.destroy();
    await pipeline.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
