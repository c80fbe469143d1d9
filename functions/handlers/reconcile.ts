import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { MissingEnvError, lambdaEnvNames, pipelineConfig, readLambdaEnv } from '../config/index.js';
import type { ReconcileResult } from '../stages/reconcile/index.js';
import { observeInvocation } from '../adapters/observability/index.js';
import {
  createS3Client,
  createSqsClient,
  requeueUnprocessedUploads,
  S3ObjectStore,
  type IngestQueueTarget,
} from '../adapters/store/index.js';

export interface ReconcileHandlerDeps {
  store: S3ObjectStore;
  target: IngestQueueTarget;
  logger?: Logger;
}

export type ReconcileHandler = (
  event: ScheduledEvent,
  context: Context,
) => Promise<Omit<ReconcileResult, 'requeued'> & { requeued: number }>;

/** The scheduled sweep: re-announces uploads whose event was lost, stopping in time for its own timeout. */
export function createReconcileHandler(deps: ReconcileHandlerDeps): ReconcileHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'reconcile' });
  const { reconcile } = pipelineConfig;
  return (_event, context) =>
    observeInvocation({ logger }, context, async () => {
      const result = await requeueUnprocessedUploads(deps.store, deps.target, {
        minAgeMs: reconcile.minUploadAgeSeconds * 1000,
        now: new Date(),
        deadlineMs: Date.now() + context.getRemainingTimeInMillis() - reconcile.reserveSeconds * 1000,
      });
      if (result.requeued.length > 0) logger.warn('re-enqueued uploads that had no item or error record', { keys: result.requeued });
      if (!result.complete) logger.warn('the sweep ran out of time; the next one starts over');
      const summary = { ...result, requeued: result.requeued.length };
      logger.info('reconciliation done', summary);
      return summary;
    });
}

function depsFromEnvironment(): ReconcileHandlerDeps {
  const env = readLambdaEnv(process.env);
  if (!env.ingestQueueUrl) throw new MissingEnvError(lambdaEnvNames.ingestQueueUrl);
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set: the Lambda runtime sets it, so this is not running in Lambda');
  return {
    store: new S3ObjectStore(createS3Client(), env.mediaBucket),
    target: { sqs: createSqsClient(), ingestQueueUrl: env.ingestQueueUrl, bucket: env.mediaBucket, region },
  };
}

let environmentHandler: ReconcileHandler | undefined;

/** The Lambda entry point, run by the EventBridge schedule the stack creates. */
export const handler: ReconcileHandler = (event, context) =>
  (environmentHandler ??= createReconcileHandler(depsFromEnvironment()))(event, context);
