import type { ObjectInfo, ObjectStore } from '../../domain/items/index.js';
import { findUnprocessedUploads } from './findUnprocessedUploads.js';

/** Puts an upload back on the ingest queue, as if S3 had just announced it. */
export type RequeueUpload = (upload: { key: string; info: ObjectInfo }) => Promise<void>;

export interface ReconcileOptions {
  /**
   * Younger uploads are left alone: their event may still be queued or being
   * retried, and re-enqueueing them would only duplicate work. 0 locally at start
   * (the emulated queue starts empty); on AWS, the longest an event can
   * legitimately wait (pipelineConfig.reconcile).
   */
  minAgeMs: number;
  now: Date;
  /** Stop listing at this time (epoch ms), so a sweep fits its function's timeout; the next sweep starts over. */
  deadlineMs?: number;
}

export interface ReconcileResult {
  requeued: string[];
  /** Unprocessed, but younger than minAgeMs. */
  tooYoung: number;
  /** false when the deadline cut the sweep short. */
  complete: boolean;
}

/**
 * The sweep that makes a lost notification lose nothing: every upload with
 * neither a complete item nor an error record goes back on the queue. Safe to
 * run at any time and any number of times, because ingest is idempotent.
 */
export async function reconcileUploads(store: ObjectStore, requeue: RequeueUpload, options: ReconcileOptions): Promise<ReconcileResult> {
  const result: ReconcileResult = { requeued: [], tooYoung: 0, complete: true };
  for await (const key of findUnprocessedUploads(store)) {
    if (options.deadlineMs !== undefined && Date.now() > options.deadlineMs) {
      result.complete = false;
      break;
    }
    const info = await store.head(key);
    if (!info) continue;
    if (options.now.getTime() - info.lastModified.getTime() < options.minAgeMs) {
      result.tooYoung += 1;
      continue;
    }
    await requeue({ key, info });
    result.requeued.push(key);
  }
  return result;
}
