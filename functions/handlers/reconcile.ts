import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { MissingEnvError, lambdaEnvNames, pipelineConfig, readLambdaEnv } from '../config/index.js';
import { reconcileIndex, type IndexReconcileDeps, type ReconcileResult } from '../stages/reconcile/index.js';
import { configuredEmbedderKey } from '../adapters/embed/index.js';
import { observeInvocation } from '../adapters/observability/index.js';
import {
  createS3Client,
  createSqsClient,
  requeueUnprocessedUploads,
  S3IndexStorage,
  S3ObjectStore,
  SqsIndexUpdateQueue,
  type IngestQueueTarget,
} from '../adapters/store/index.js';

export interface ReconcileHandlerDeps {
  store: S3ObjectStore;
  target: IngestQueueTarget;
  /** The index's half of the sweep (reconcileIndex); without it only uploads are swept. */
  index?: IndexReconcileDeps;
  logger?: Logger;
}

export type ReconcileHandler = (
  event: ScheduledEvent,
  context: Context,
) => Promise<Omit<ReconcileResult, 'requeued'> & { requeued: number; reannounced: number; removed: number }>;

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
      const deadlineMs = Date.now() + context.getRemainingTimeInMillis() - reconcile.reserveSeconds * 1000;
      const index = deps.index && result.complete ? await reconcileIndex(deps.index, { deadlineMs }) : undefined;
      if (index && index.reannounced.length > 0)
        logger.warn('re-announced ready items missing from the index', { itemIds: index.reannounced });
      if (index && index.removed.length > 0) logger.warn('removed index entries whose item is gone', { itemIds: index.removed });
      if (!result.complete || index?.complete === false) logger.warn('the sweep ran out of time; the next one starts over');
      const summary = {
        ...result,
        complete: result.complete && index?.complete !== false,
        requeued: result.requeued.length,
        reannounced: index?.reannounced.length ?? 0,
        removed: index?.removed.length ?? 0,
      };
      logger.info('reconciliation done', summary);
      return summary;
    });
}

function depsFromEnvironment(): ReconcileHandlerDeps {
  const env = readLambdaEnv(process.env);
  if (!env.ingestQueueUrl) throw new MissingEnvError(lambdaEnvNames.ingestQueueUrl);
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set: the Lambda runtime sets it, so this is not running in Lambda');
  if (!env.indexQueueUrl) throw new MissingEnvError(lambdaEnvNames.indexQueueUrl);
  const s3 = createS3Client();
  const sqs = createSqsClient();
  const store = new S3ObjectStore(s3, env.mediaBucket);
  return {
    store,
    target: { sqs, ingestQueueUrl: env.ingestQueueUrl, bucket: env.mediaBucket, region },
    index: {
      store,
      storage: new S3IndexStorage(s3, env.mediaBucket, 'native'),
      embedderKey: configuredEmbedderKey(env.embeddingModel),
      shards: pipelineConfig.vq.shards,
      indexUpdates: new SqsIndexUpdateQueue(sqs, env.indexQueueUrl, pipelineConfig.vq.shards),
    },
  };
}

let environmentHandler: ReconcileHandler | undefined;

/** The Lambda entry point, run by the EventBridge schedule the stack creates. */
export const handler: ReconcileHandler = (event, context) =>
  (environmentHandler ??= createReconcileHandler(depsFromEnvironment()))(event, context);
