import type { SQSClient } from '@aws-sdk/client-sqs';
import { reconcileUploads, type ReconcileOptions, type ReconcileResult } from '../../stages/reconcile/index.js';
import type { ObjectStore } from '../../domain/items/index.js';
import { SqsUploadEventQueue } from './sqsUploadEventQueue.js';

/** s3.configurationId of the events reconciliation sends, so logs tell them from S3's own. */
export const reconcileConfigurationId = 'reconcile';

export interface IngestQueueTarget {
  sqs: SQSClient;
  ingestQueueUrl: string;
  /** The media bucket the store reads; named in the synthetic events. */
  bucket: string;
  region: string;
}

/**
 * Reconciliation over S3 and SQS: every upload with neither a complete item
 * nor an error record is announced again on the ingest queue. Used by the
 * scheduled reconcile function, by `npm start` and on demand by the CLI.
 */
export function requeueUnprocessedUploads(
  store: ObjectStore,
  target: IngestQueueTarget,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const queue = new SqsUploadEventQueue(target.sqs, target.ingestQueueUrl, {
    region: target.region,
    bucket: target.bucket,
    configurationId: reconcileConfigurationId,
  });
  return reconcileUploads(store, queue.requeue, options);
}
