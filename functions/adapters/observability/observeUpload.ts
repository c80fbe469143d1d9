import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { errorReasonDimension, metricNames, retryableFailure } from './constants.js';

/** The outcome shapes of ingest, video and remove (functions/stages/ingest types) that the logs and metrics tell apart. */
type UploadOutcome = { outcome: string; itemId?: string; code?: string };

/**
 * Runs one upload's work with its key and message id on every log line, logs
 * what it became with its item id, and records it: ItemsProcessed, Errors by
 * reason, ProcessingMs. A throw is logged and counted, then rethrown for the
 * queue to retry.
 */
export async function observeUpload<T extends UploadOutcome>(
  telemetry: { logger: Logger; metrics?: Metrics },
  record: { action: string; uploadKey: string; messageId: string },
  run: () => Promise<T>,
): Promise<T> {
  const { logger, metrics } = telemetry;
  const keys = { uploadKey: record.uploadKey, messageId: record.messageId };
  logger.appendKeys(keys);
  const startedMs = performance.now();
  try {
    const result = await run();
    const elapsedMs = Math.round(performance.now() - startedMs);
    if (result.itemId) logger.appendKeys({ itemId: result.itemId });
    // The manifest is in the bucket; the log line says what happened, not the whole record.
    logger.info(`${record.action}: ${result.outcome}`, { ...result, manifest: undefined, elapsedMs });
    if (result.outcome === 'created' || result.outcome === 'duplicate') metrics?.addMetric(metricNames.itemsProcessed, MetricUnit.Count, 1);
    if (result.outcome === 'rejected') countError(metrics, result.code ?? 'rejected');
    metrics?.addMetric(metricNames.processingMs, MetricUnit.Milliseconds, elapsedMs);
    return result;
  } catch (error) {
    logger.error(`${record.action}: failed; the queue will retry it`, { error });
    countError(metrics, retryableFailure);
    throw error;
  } finally {
    logger.removeKeys([...Object.keys(keys), 'itemId']);
  }
}

/** Errors carries its own `reason` dimension, so it is published on its own, at once. */
export function countError(metrics: Metrics | undefined, reason: string): void {
  if (!metrics) return;
  const single = metrics.singleMetric();
  single.addDimension(errorReasonDimension, reason);
  single.addMetric(metricNames.errors, MetricUnit.Count, 1);
}
