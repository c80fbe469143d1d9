import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { pipelineConfig } from '../../functions/config/index.js';
import { buildIndexUpdateMessages } from '../../functions/adapters/events/index.js';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, embedderKey } from '../../functions/domain/embed/index.js';
import { createIndexerHandler } from '../../functions/handlers/indexQueueWorker.js';
import { createS3rver } from '../../local/s3rverServer.js';
import { startMotoServer } from '../../tests/helpers/motoServer.js';
import { indexMessageRecord, sqsEvent, testContext } from '../../tests/helpers/sqsEvents.js';
import { rowId, type ScaleDataset } from './datasets.js';

/**
 * The indexer handler alone, on the messages the queue would carry: the same
 * upserts with their vectors, packed into index-queue messages by the
 * pipeline's own message builder, handed to the handler ten messages at a
 * time as Lambda's FIFO event source mapping hands them, with S3 on the same
 * emulator and no queue in between: what the indexer itself sustains, apart
 * from the queue emulator's receive and delete.
 */
export async function measureIndexerHandler(
  dataset: ScaleDataset,
  upserts: number,
  backend: 'moto' | 'embedded',
): Promise<{ seconds: number; writesPerSecond: number; batches: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'xr-bench-indexer-direct-'));
  const s3rver = backend === 'embedded' ? createS3rver({ address: '127.0.0.1', port: 0, silent: true, directory }) : undefined;
  const moto = backend === 'moto' ? await startMotoServer() : undefined;
  const endpoint = moto?.endpoint ?? `http://127.0.0.1:${(await s3rver!.run()).port}`;
  const s3 = createS3Client({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const bucket = 'indexer-direct';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const embedder = createDefaultEmbedder();
    const handler = createIndexerHandler({
      store: new S3ObjectStore(s3, bucket),
      storage: new S3IndexStorage(s3, bucket, moto ? 'native' : 'emulated'),
      shards: pipelineConfig.vq.shards,
      embedder,
      // Its 'shard committed' lines (every item id of a commit) would bury the bench's own.
      logger: new Logger({ serviceName: 'indexer', logLevel: 'WARN' }),
    });
    const { dimension } = dataset;
    const bodies = buildIndexUpdateMessages(
      Array.from({ length: upserts }, (_, row) => ({
        op: 'upsert' as const,
        itemId: rowId(row),
        vector: { embedderKey: embedderKey(embedder), values: dataset.vectors.subarray(row * dimension, (row + 1) * dimension) },
      })),
      pipelineConfig.indexer.messageBytes,
    );
    const { batchSize } = pipelineConfig.indexer;
    const started = performance.now();
    for (let first = 0; first < bodies.length; first += batchSize) {
      const records = bodies.slice(first, first + batchSize).map((body, i) => indexMessageRecord(body, `m-${first + i}`));
      const response = await handler(sqsEvent(...records), testContext('indexer'));
      if (response && response.batchItemFailures.length > 0) throw new Error(`batch at message ${first} failed`);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, writesPerSecond: upserts / seconds, batches: Math.ceil(bodies.length / batchSize) };
  } finally {
    s3.destroy();
    await moto?.stop();
    await s3rver?.close();
    await rm(directory, { recursive: true, force: true });
  }
}
