import { type ApiDeps } from '../stages/api/index.js';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
import { defaultEmbedderFor, type Embedder } from '../domain/embed/index.js';
import { configuredEmbedder } from '../adapters/embed/index.js';
import { ActiveSimilarity } from '../stages/retrieval/index.js';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../adapters/store/index.js';
import { createApiHandler, type ApiHandler } from './apiRequestHandler.js';

/** The API's dependencies over one bucket: items, and the index that answers (index/active.json); `embedder` is the one the stages use. */
export function apiDepsForBucket(store: S3ObjectStore, storage: S3IndexStorage, embedder: Embedder): ApiDeps {
  const { vq } = pipelineConfig;
  return {
    store,
    limits: pipelineConfig.api,
    similarity: {
      active: new ActiveSimilarity(storage, {
        shards: vq.shards,
        refreshMs: vq.query.refreshMs,
        nprobe: vq.search.nprobe,
        listCacheBytes: vq.query.listCacheBytes,
        configured: embedder,
        embedderFor: defaultEmbedderFor,
      }),
      limits: { ...vq.query, maxImagePixels: pipelineConfig.image.maxPixels },
    },
  };
}

let environmentHandler: Promise<ApiHandler> | undefined;

/** Made on the first request (with the configured model loaded) and kept; a failed start is tried again by the next request. */
async function makeEnvironmentHandler(): Promise<ApiHandler> {
  const s3 = createS3Client();
  const env = readLambdaEnv(process.env);
  const embedder = await configuredEmbedder(env.embeddingModel, s3)();
  return createApiHandler(
    apiDepsForBucket(new S3ObjectStore(s3, env.mediaBucket), new S3IndexStorage(s3, env.mediaBucket, 'native'), embedder),
  );
}

function environment(): Promise<ApiHandler> {
  environmentHandler ??= makeEnvironmentHandler().catch((error: unknown) => {
    environmentHandler = undefined;
    throw error;
  });
  return environmentHandler;
}

// In Lambda, load the configured model during the init phase (which has its own
// time and full CPU), not within the first request's 10 s; a failure there is
// tried again by that request. Elsewhere (tests, the local mode) importing this
// module does nothing.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) await environment().catch(() => undefined);

export const handler: ApiHandler = async (event, context) => (await environment())(event, context);
