import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/**
 * What Powertools' injectLambdaContext and logMetrics middlewares do, for a
 * plain function handler: every log line of the invocation carries the request
 * id, function name and cold start; the metrics stored during it are flushed
 * as one EMF document at the end, thrown or not; keys appended for one record
 * do not leak into the next invocation.
 */
export async function observeInvocation<T>(
  telemetry: { logger: Logger; metrics?: Metrics },
  context: Context,
  run: () => Promise<T>,
): Promise<T> {
  telemetry.logger.addContext(context);
  try {
    return await run();
  } finally {
    if (telemetry.metrics?.hasStoredMetrics()) telemetry.metrics.publishStoredMetrics();
    telemetry.logger.resetKeys();
  }
}
