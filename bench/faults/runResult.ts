import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FaultStats } from '../../functions/adapters/faults/index.js';
import { messageCounts } from '../../functions/adapters/store/index.js';
import type { FaultProxyStats, LocalResources } from '../../local/index.js';
import type { ApiFuzzResult } from './apiFuzz.js';
import type { IndependentAudit } from './independentAudit.js';
import type { BenchUpload } from './uploadSet.js';

/** What one run of the fault bench measured. */
export interface RunResult {
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
  /** What the faulty network injected, S3 and SQS, every pipeline process together; empty on the clean run. */
  network: FaultProxyStats[];
  api: ApiFuzzResult | undefined;
  wallSeconds: number;
  faults: FaultStats;
  processKills: number;
  machineRestarts: number;
  messagesHandled: number;
}

const uploadConcurrency = 8;

/** The client's uploads, straight to the storage: a user's connection is not the pipeline's network. */
export async function uploadAll(s3: S3Client, bucket: string, uploads: readonly BenchUpload[]): Promise<void> {
  for (let start = 0; start < uploads.length; start += uploadConcurrency) {
    await Promise.all(
      uploads
        .slice(start, start + uploadConcurrency)
        .map((upload) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: upload.bytes }))),
    );
  }
}

/** Messages left in the ingest and video dead-letter queues. */
export async function deadLetterCount(sqs: SQSClient, resources: LocalResources): Promise<number> {
  let count = 0;
  for (const queue of [resources.queues.ingest.deadLetter, resources.queues.video.deadLetter]) {
    const counts = await messageCounts(sqs, queue.url);
    count += counts.waiting + counts.inFlight;
  }
  return count;
}
