import { type ApiDeps } from '../stages/api/index.js';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
import { createDefaultEmbedder, defaultEmbedderFor } from '../domain/embed/index.js';
import { ActiveSimilarity } from '../stages/retrieval/index.js';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../adapters/store/index.js';
import { createApiHandler, type ApiHandler } from './apiRequestHandler.js';

/** The API's dependencies over one bucket: items, and the retrieval index under index/. */
export function apiDepsForBucket(store: S3ObjectStore, storage: S3IndexStorage): ApiDeps {
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
        configured: createDefaultEmbedder(),
        embedderFor: defaultEmbedderFor,
      }),
      limits: vq.query,
    },
  };
}

let environmentHandler: ApiHandler | undefined;

export const handler: ApiHandler = (event, context) => {
  if (!environmentHandler) {
    const s3 = createS3Client();
    const bucket = readLambdaEnv(process.env).mediaBucket;
    environmentHandler = createApiHandler(apiDepsForBucket(new S3ObjectStore(s3, bucket), new S3IndexStorage(s3, bucket, 'native')));
  }
  return environmentHandler(event, context);
};
