import { mkdtemp, rm } from 'node:fs/promises';
import pLimit from 'p-limit';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { pipelineConfig } from '../../functions/config/index.js';
import { S3IndexStorage, SqsIndexUpdateQueue } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, embedderKey, encodeEmbedding } from '../../functions/domain/embed/index.js';
import { itemKeys } from '../../functions/domain/items/index.js';
import { allShards, loadIndexShard, scopedIndexStorage } from '../../functions/domain/vq/index.js';
import { SimilarityIndex } from '../../functions/stages/retrieval/index.js';
import { startLocalPipeline } from '../../local/index.js';
import { motoServerMissing, startMotoServer } from '../../tests/helpers/motoServer.js';
import { rowId, type ScaleDataset } from './datasets.js';

export interface IndexerFigures {
  /** A ReceiveMessage of ten full index messages from the same queue emulator, with nothing else running (ms, per run). */
  receiveMsPerBatch: number[];
  /** Where the queue and bucket were. */
  backend: string;
  upserts: number;
  /** Mean updates per commit (the FIFO batch the indexer got). */
  updatesPerCommit: number;
  seconds: number;
  writesPerSecond: number;
  visibleMs: number[];
}

export interface IndexerRun {
  upserts: number;
  probes: number;
  /** Updates handed to the queue per send: 1 is one upload's ingest; a backfill or reconciliation sends thousands. */
  updatesPerSend: number;
  /** moto_server (like SQS, up to 10 FIFO messages of a group per receive) or the embedded emulators (fauxqs@1 hands out one). */
  backend: 'moto' | 'embedded';
}

/**
 * The indexer end to end in the local mode: the embeddings of `upserts` rows
 * stored as items/<id>/embeddings/<key>.f32 (what ingest leaves), their index
 * updates sent through the pipeline's queue adapter with their vectors
 * (packed several of a shard to a message), applied by the indexer through
 * its event source mapping. Then, one at a time, probe upserts timed from
 * their send until the query path (refreshing every refreshMs) returns them first.
 */
export async function measureIndexer(dataset: ScaleDataset, run: IndexerRun, log: (line: string) => void): Promise<IndexerFigures> {
  const { upserts, probes, updatesPerSend } = run;
  if (run.backend === 'moto' && motoServerMissing) throw new Error('moto_server is not installed here: use --e2e-backend embedded');
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-indexer-'));
  const moto = run.backend === 'moto' ? await startMotoServer() : undefined;
  const backend = moto ? 'moto_server (S3 and SQS)' : 'embedded emulators (s3rver, fauxqs: one FIFO message per receive)';
  log(`  indexer end to end on ${backend}`);
  const pipeline = await startLocalPipeline({
    dataDir,
    ports: 'random',
    handlerLogLevel: 'SILENT',
    ...(moto ? { endpoint: moto.endpoint } : {}),
  });
  const bucket = pipeline.resources.mediaBucket;
  const queueUrl = pipeline.resources.queues.index.work.url;
  const { dimension } = dataset;
  const vectorOf = (row: number) => dataset.vectors.subarray(row * dimension, (row + 1) * dimension);
  // Where the local indexer (the configured embedder's) reads vectors and keeps its index.
  const ownKey = embedderKey(createDefaultEmbedder());
  const putEmbedding = (row: number) =>
    pipeline.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: itemKeys.embedding(rowId(row), ownKey), Body: encodeEmbedding(vectorOf(row)) }),
    );
  const queue = new SqsIndexUpdateQueue(pipeline.sqs, queueUrl, pipelineConfig.vq.shards);
  const send = (rows: number[]) =>
    queue.send(rows.map((row) => ({ op: 'upsert', itemId: rowId(row), vector: { embedderKey: ownKey, values: vectorOf(row) } })));
  const storage = scopedIndexStorage(new S3IndexStorage(pipeline.s3, bucket, moto ? 'native' : 'emulated'), ownKey);
  const shards = async () => Promise.all(allShards(pipelineConfig.vq.shards).map((shard) => loadIndexShard(storage, shard)));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  try {
    const rows = Array.from({ length: upserts }, (_, row) => row);
    await pLimit(32).map(rows, putEmbedding);
    log(`  stored ${upserts} embeddings; sending their index updates, ${updatesPerSend} per send`);
    const started = performance.now();
    const sends = Array.from({ length: Math.ceil(upserts / updatesPerSend) }, (_, b) =>
      rows.slice(b * updatesPerSend, (b + 1) * updatesPerSend),
    );
    await pLimit(8).map(sends, send);
    await pipeline.waitForIdle(3_600_000);
    const seconds = (performance.now() - started) / 1000;
    const loaded = await shards();
    const indexed = sum(loaded.map((shard) => shard?.manifest.liveItems ?? 0));
    const commits = sum(loaded.map((shard) => shard?.manifest.generation ?? 0));
    if (indexed !== upserts) throw new Error(`the indexer holds ${indexed} items after ${upserts} upserts`);
    log(`  indexed ${upserts} upserts in ${seconds.toFixed(1)} s, ${commits} commits`);

    const query = new SimilarityIndex(storage, {
      shards: pipelineConfig.vq.shards,
      refreshMs: pipelineConfig.vq.query.refreshMs,
      nprobe: pipelineConfig.vq.search.nprobe,
      listCacheBytes: pipelineConfig.vq.query.listCacheBytes,
    });
    const visibleMs: number[] = [];
    for (let p = 0; p < probes; p += 1) {
      const row = upserts + p;
      await putEmbedding(row);
      const sent = performance.now();
      await send([row]);
      for (;;) {
        if ((await query.search(vectorOf(row), 1))[0]?.id === rowId(row)) break;
        if (performance.now() - sent > 30_000) throw new Error(`probe ${rowId(row)} not found 30 s after its update was sent`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      visibleMs.push(performance.now() - sent);
    }
    const receiveMsPerBatch = await probeReceive(pipeline.sqs, 5);
    return {
      backend,
      upserts,
      updatesPerCommit: upserts / commits,
      seconds,
      writesPerSecond: upserts / seconds,
      visibleMs,
      receiveMsPerBatch,
    };
  } finally {
    await pipeline.stop();
    await moto?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * How long the queue emulator takes to hand over one full batch: ten messages
 * of indexer.messageBytes in a FIFO queue of their own, received at once
 * (one group, as the indexer's), timed per run; nothing else is running.
 */
async function probeReceive(sqs: SQSClient, runs: number): Promise<number[]> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'xr-bench-receive-probe.fifo',
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    }),
  );
  const filler = (i: number) => `${i}`.padEnd(pipelineConfig.indexer.messageBytes, 'x');
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    for (let i = 0; i < pipelineConfig.indexer.batchSize; i += 1)
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: filler(run * 100 + i), MessageGroupId: 's0' }));
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: pipelineConfig.indexer.batchSize }));
    const started = performance.now();
    let { Messages = [] } = await receive();
    times.push(performance.now() - started);
    // Drained before the next run (an emulator that hands out fewer than ten leaves the rest).
    while (Messages.length > 0) {
      const entries = Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: entries }));
      ({ Messages = [] } = await receive());
    }
  }
  return times;
}
