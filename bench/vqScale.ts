/**
 * The retrieval index at scale, stored in the local S3 emulator (s3rver) and
 * queried through a latency proxy that adds S3's first-byte delay to every
 * request (default 20 ms):
 *   1. bulk load through the writer's storage path in commits of --commit-rows (child process, rows streamed from a
 *      file: bulk_writer_rss_mb), then a new writer on the loaded shard, as a cold indexer meets it, committing
 *      batches of 10 upserts and deletes (child process: writer_rss_mb, the indexer's memory for this shard);
 *   2. the whole-shard load (every vector in memory, as the writer held it before schema 4);
 *   3. the query function's path in a child process of its own (query_rss_mb): per setting
 *      (nprobe × rerank), every query cold (no list cached, manifest re-checked) then warm;
 *      the setting is chosen on a tuning half of the queries, figures come from the scoring half;
 *   4. (synthetic only) the indexer end to end in the local mode: ≥ 100k upserts with their vectors
 *      through the index FIFO queue (several to a message) and the indexer, then upsert-to-visible
 *      through the query path.
 * Fashion-MNIST (60k × 784, real data) first, then the synthetic set (1M × 256); the last
 * line is the synthetic set's JSON.
 *
 *   npm run bench:vq-scale [-- --n 1000000 --dim 256 --shards 1 --delay-ms 20 --queries 200 --e2e 100000 --commit-rows 20000
 *                              --skip fashion-mnist,e2e]
 *   npm run bench:vq-scale -- --e2e-only [--e2e 100000 --e2e-per-send 1000 --e2e-backend moto|embedded]
 *      (step 4 alone, on rows of the same synthetic set; updates handed to the queue per send, 1 as one upload's
 *      ingest sends; moto_server by default where it is installed)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3rver } from '../local/s3rverServer.js';
import { createS3Client } from '../functions/adapters/store/index.js';
import { pipelineConfig } from '../functions/config/index.js';
import { buildIndexUpdateMessages, parseIndexUpdateMessage } from '../functions/adapters/events/index.js';
import { exactTopK, recallAtK } from './vq/bruteForce.js';
import { startLatencyProxy, s3FirstByteDelayMs } from './latencyProxy.js';
import type { BulkLoadInput, BulkLoadResult } from './vqScale/bulkLoadProcess.js';
import type { SteadyResult } from './vqScale/steadyProcess.js';
import { runChild } from './vqScale/childProcess.js';
import { scaleCosts } from './vqScale/costs.js';
import { loadScaleDataset, rowOf, type DatasetSpec, type ScaleDataset } from './vqScale/datasets.js';
import { measureIndexer, type IndexerFigures, type IndexerRun } from './vqScale/indexerEndToEnd.js';
import { measureIndexerHandler } from './vqScale/indexerHandlerDirect.js';
import { motoServerMissing } from '../tests/helpers/motoServer.js';
import type { QueryInput, QueryResult, QuerySetting, SettingResult } from './vqScale/queryProcess.js';
import { numberArg, skippedParts } from './benchArgs.js';

const arg = numberArg;
const skipped = skippedParts();
const n = arg('n', 1_000_000);
const dimension = arg('dim', 256);
const shards = arg('shards', 1);
const delayMs = arg('delay-ms', s3FirstByteDelayMs);
const queryCount = arg('queries', 200);
const endToEndUpserts = arg('e2e', 100_000);
/** Rows per bulk-load commit: the writer holds at most this batch besides its lists. */
const bulkCommitRows = arg('commit-rows', 20_000);
const endToEnd = (probes: number): IndexerRun => {
  const at = process.argv.indexOf('--e2e-backend');
  const backend = at >= 0 ? process.argv[at + 1] : motoServerMissing ? 'embedded' : 'moto';
  if (backend !== 'moto' && backend !== 'embedded') throw new Error(`--e2e-backend is moto or embedded, not ${backend}`);
  return { upserts: endToEndUpserts, probes, updatesPerSend: arg('e2e-per-send', 1000), backend };
};
const K = 10;
const targetRecall = 0.95;
const settings: QuerySetting[] = [8, 16, 32, 64].flatMap((nprobe) => [40, 100].map((rerank) => ({ nprobe, rerank })));
const bigHeap = ['--max-old-space-size=16000'];
/**
 * What the schema-1 whole-shard loader (loadIndexShard before this layout, commit 4f2a664) took for 1M × 256
 * synthetic rows in one shard: peak resident set (VmHWM) of a process that did nothing but load it from s3rver,
 * measured 2026-12-03 before the loader was replaced. Kept, as that loader no longer exists.
 */
const schema1FullLoad = { n: 1_000_000, dimension: 256, rssMb: 3374 };
const log = (line = '') => console.log(line);

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface DatasetFigures {
  line: Record<string, number | string>;
  bulk: BulkLoadResult;
  steady: SteadyResult;
  chosen: SettingResult;
  indexer?: IndexingFigures;
}

async function measureDataset(spec: DatasetSpec): Promise<DatasetFigures> {
  const dataset = loadScaleDataset(spec);
  log(
    `\n${dataset.name}: ${dataset.count} × ${dataset.dimension}, ${shards} shard(s), ${dataset.queries.length} held-out queries, S3 first-byte delay ${delayMs} ms`,
  );
  const directory = await mkdtemp(join(tmpdir(), 'xr-bench-vq-scale-'));
  const s3rver = createS3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await s3rver.run();
  const direct = { endpoint: `http://127.0.0.1:${port}`, bucket: 'vq-scale' };
  const s3 = createS3Client({
    region: 'us-east-1',
    endpoint: direct.endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: direct.bucket }));
  const proxy = await startLatencyProxy({ target: direct.endpoint, firstByteDelayMs: delayMs });
  try {
    const vectorsFile = join(directory, 'rows.f32');
    await writeFile(vectorsFile, dataset.vectors);
    const bulkInput: BulkLoadInput = {
      vectorsFile,
      count: dataset.count,
      dimension: dataset.dimension,
      target: direct,
      shards,
      commitRows: bulkCommitRows,
      updateEvery: 1000,
    };
    const bulk = await runChild<BulkLoadResult>('./bulkLoadProcess.ts', bulkInput);
    log(
      `bulk load: ${bulk.seconds.toFixed(0)} s in ${bulk.commits} commits (${(dataset.count / bulk.seconds).toFixed(0)} writes/s), ${bulk.clusters} lists in ${bulk.pages} pages, ` +
        `${(bulk.storedBytes / 2 ** 20).toFixed(0)} MiB stored (${(bulk.storedBytes / dataset.count).toFixed(0)} B/item), writer peak RSS ${bulk.writerRssMb.toFixed(0)} MB`,
    );
    const steady = await runChild<SteadyResult>('./steadyProcess.ts', {
      vectorsFile,
      dimension: dataset.dimension,
      target: direct,
      batches: 100,
    });
    const steadyCommits = steady.upserts / 10;
    const after = steady.afterBulkLoad!;
    log(
      `a new writer on the loaded shard: opened in ${steady.openSeconds.toFixed(1)} s (${steady.openGets} GETs, ${(steady.openBytesRead / 2 ** 20).toFixed(0)} MiB: ids and sums), ` +
        `then, measured, commits of 10 at ${(steady.upserts / steady.seconds).toFixed(0)} writes/s, ${(steady.objectsWritten / steadyCommits).toFixed(1)} objects, ` +
        `${(steady.bytesWritten / steadyCommits / 1024).toFixed(0)} KiB written and ${(steady.gets / steadyCommits).toFixed(1)} GETs per commit (no added latency); peak RSS ${steady.rssMb.toFixed(0)} MB, ` +
        `${steady.liveMb.toFixed(0)} MB live after a full collection, of which the index ${steady.indexMb.toFixed(0)} MB`,
    );
    log(
      `  (the same batches run first, right after the bulk load, their commits compacting its packs too: commits of 10 at ${(after.upserts / after.seconds).toFixed(0)} writes/s, ` +
        `${(after.bytesWritten / (after.upserts / 10) / 1024).toFixed(0)} KiB written and ${(after.gets / (after.upserts / 10)).toFixed(1)} GETs per commit)`,
    );
    const whole = await runChild<{ items: number; seconds: number; rssMb: number }>(
      './wholeLoadProcess.ts',
      { target: direct, shards },
      bigHeap,
    );
    log(
      `whole-shard load (every vector in memory): ${whole.items} items in ${whole.seconds.toFixed(1)} s, peak RSS ${whole.rssMb.toFixed(0)} MB`,
    );

    const queriesFile = join(directory, 'queries.f32');
    const flat = new Float32Array(dataset.queries.length * dataset.dimension);
    dataset.queries.forEach((query, q) => flat.set(query, q * dataset.dimension));
    await writeFile(queriesFile, flat);
    const queryInput: QueryInput = {
      target: { endpoint: proxy.endpoint, bucket: direct.bucket },
      shards,
      queriesFile,
      dimension: dataset.dimension,
      settings,
      refreshMs: pipelineConfig.vq.query.refreshMs,
      listCacheBytes: pipelineConfig.vq.query.listCacheBytes,
      k: K,
    };
    const queried = await runChild<QueryResult>('./queryProcess.ts', queryInput);
    const truth = dataset.queries.map((query) => exactTopK(dataset.vectors, dataset.count, dataset.dimension, query, K));
    const half = Math.floor(dataset.queries.length / 2);
    const recallOn = (setting: SettingResult, from: number, to: number) =>
      recallAtK(
        truth.slice(from, to),
        setting.ids.slice(from, to).map((ids) => ids.map(rowOf)),
        K,
      );
    log(
      `first query of a new query function: ${queried.firstQueryMs.toFixed(0)} ms, ${queried.firstQueryGets} GETs (manifest and every codebook page)`,
    );
    log('nprobe rerank | recall tune score | cold p50 p99 ms | warm p50 p99 ms | cold GETs KiB');
    for (const setting of queried.settings) {
      log(
        `${String(setting.nprobe).padStart(6)} ${String(setting.rerank).padStart(6)} | ${recallOn(setting, 0, half).toFixed(3)} ${recallOn(setting, half, truth.length).toFixed(3)} | ` +
          `${percentile(setting.coldMs.slice(half), 0.5).toFixed(1)} ${percentile(setting.coldMs.slice(half), 0.99).toFixed(1)} | ` +
          `${percentile(setting.warmMs.slice(half), 0.5).toFixed(2)} ${percentile(setting.warmMs.slice(half), 0.99).toFixed(2)} | ` +
          `${percentile(setting.coldGets.slice(half), 0.5)} ${(percentile(setting.coldBytes.slice(half), 0.5) / 1024).toFixed(0)}`,
      );
    }
    // Chosen on the tuning half: the fastest cold setting that reaches the target recall there (else the best recall).
    const reaching = queried.settings.filter((setting) => recallOn(setting, 0, half) >= targetRecall);
    const coldP50 = (setting: SettingResult) => percentile(setting.coldMs.slice(0, half), 0.5);
    const chosen =
      reaching.length > 0
        ? reaching.reduce((best, setting) => (coldP50(setting) < coldP50(best) ? setting : best))
        : queried.settings.reduce((best, setting) => (recallOn(setting, 0, half) > recallOn(best, 0, half) ? setting : best));
    log(
      `chosen on the tuning half: nprobe ${chosen.nprobe}, rerank ${chosen.rerank}; query process peak RSS ${queried.rssMb.toFixed(0)} MB`,
    );

    const indexer = spec.name === 'synthetic' && !skipped.has('e2e') ? await measureIndexing(dataset, endToEnd(20)) : undefined;
    const fullLoad =
      dataset.count === schema1FullLoad.n && dataset.dimension === schema1FullLoad.dimension ? schema1FullLoad.rssMb : whole.rssMb;
    const line: Record<string, number | string> = {
      dataset: dataset.name,
      n: dataset.count,
      dim: dataset.dimension,
      shards,
      nprobe: chosen.nprobe,
      rerank: chosen.rerank,
      recall_at_10: round(recallOn(chosen, half, truth.length), 4),
      query_ms_p50_warm: round(percentile(chosen.warmMs.slice(half), 0.5), 2),
      query_ms_p99_warm: round(percentile(chosen.warmMs.slice(half), 0.99), 2),
      query_ms_p50_cold: round(percentile(chosen.coldMs.slice(half), 0.5)),
      query_ms_p99_cold: round(percentile(chosen.coldMs.slice(half), 0.99)),
      gets_per_query_cold: percentile(chosen.coldGets.slice(half), 0.5),
      bytes_per_query_cold: percentile(chosen.coldBytes.slice(half), 0.5),
      first_query_ms: round(queried.firstQueryMs),
      query_rss_mb: round(queried.rssMb),
      writer_rss_mb: round(steady.rssMb),
      writer_live_mb: round(steady.liveMb),
      bulk_writer_rss_mb: round(bulk.writerRssMb),
      writes_per_s: round(indexer?.writesPerSecond ?? dataset.count / bulk.seconds),
      ...(indexer
        ? {
            upsert_to_visible_ms_p50: round(percentile(indexer.visibleMs, 0.5)),
            indexer_backend: indexer.backend,
            indexer_handler_writes_per_s: round(indexer.handlerWritesPerSecond),
            queue_receive_ms_p50: round(percentile(indexer.receiveMsPerBatch, 0.5)),
          }
        : {}),
      bulk_writes_per_s: round(dataset.count / bulk.seconds),
      steady_writes_per_s_loaded_shard: round(steady.upserts / steady.seconds),
      writer_open_s: round(steady.openSeconds),
      whole_shard_load_rss_mb: round(whole.rssMb),
      full_load_rss_mb: round(fullLoad),
      stored_bytes_per_item: round(bulk.storedBytes / dataset.count),
      s3_delay_ms: delayMs,
    };
    return { line, bulk, steady, chosen, ...(indexer ? { indexer } : {}) };
  } finally {
    await proxy.stop();
    s3.destroy();
    await s3rver.close();
    await rm(directory, { recursive: true, force: true });
  }
}

type IndexingFigures = IndexerFigures & { handlerWritesPerSecond: number };

/**
 * The indexer end to end through the queue emulator, then the indexer handler alone on the same messages (no
 * queue), and how long the emulator takes to hand over one full batch: what the end-to-end figure is made of.
 */
async function measureIndexing(dataset: ScaleDataset, run: IndexerRun): Promise<IndexingFigures> {
  const indexer = await measureIndexer(dataset, run, log);
  const direct = await measureIndexerHandler(dataset, run.upserts, run.backend);
  log(
    `  the indexer handler alone on the same messages (ten to a batch, S3 on the same emulator, no queue): ` +
      `${direct.writesPerSecond.toFixed(0)} writes/s over ${run.upserts} upserts in ${direct.batches} batches`,
  );
  log(`  the queue emulator's receive of ten full messages: ${indexer.receiveMsPerBatch.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  return { ...indexer, handlerWritesPerSecond: direct.writesPerSecond };
}

function printCosts({ line, steady, chosen, indexer }: DatasetFigures): void {
  const steadyCommits = steady.upserts / 10;
  const costs = scaleCosts({
    bytesPerItemStored: Number(line.stored_bytes_per_item),
    s3PutsPerUpsert: steady.objectsWritten / steady.upserts,
    s3GetsPerUpsert: steady.gets / steady.upserts,
    s3GetsPerQueryCold: percentile(chosen.coldGets, 0.5),
    coldQueryFraction: 0.1,
    queryMsWarm: Number(line.query_ms_p50_warm),
    queryMsCold: Number(line.query_ms_p50_cold),
    queryFunctionMemoryMb: pipelineConfig.api.memoryMb,
    writerMsPerUpsert: (steady.seconds * 1000) / steady.upserts,
    writerMemoryMb: pipelineConfig.indexer.memoryMb,
    // A send per message, a receive and a delete per batch of 10 messages; upserts with vectors packed to a message.
    sqsRequestsPerUpsert: (1 + 2 / 10) / upsertsPerMessage(Number(line.dim)),
  });
  log(
    `costs at ${line.dataset} ${line.n}: ${JSON.stringify({ ...costs, putsPerCommit: round(steady.objectsWritten / steadyCommits), getsPerCommit: round(steady.gets / steadyCommits), indexerWritesPerSecond: indexer?.writesPerSecond })}`,
  );
}

/** How many upserts of this dimension, with their vectors, one index-queue message carries. */
function upsertsPerMessage(dim: number): number {
  const upserts = Array.from({ length: 1000 }, (_, i) => ({
    op: 'upsert' as const,
    itemId: i.toString(16).padStart(32, '0'),
    vector: { embedderKey: 'model-1', values: new Float32Array(dim).fill(0.1) },
  }));
  return parseIndexUpdateMessage(buildIndexUpdateMessages(upserts, pipelineConfig.indexer.messageBytes)[0]!).length;
}

if (process.argv.includes('--e2e-only')) {
  const probes = 20;
  const dataset = loadScaleDataset({ name: 'synthetic', n: endToEndUpserts + probes, dimension, queries: 0 });
  const run = endToEnd(probes);
  const figures = await measureIndexing(dataset, run);
  log(`updates per commit ${figures.updatesPerCommit.toFixed(2)}`);
  log(
    JSON.stringify({
      backend: figures.backend,
      upserts: figures.upserts,
      updates_per_send: run.updatesPerSend,
      updates_per_commit: round(figures.updatesPerCommit),
      writes_per_s: round(figures.writesPerSecond),
      upsert_to_visible_ms_p50: round(percentile(figures.visibleMs, 0.5)),
      upsert_to_visible_ms_max: round(Math.max(...figures.visibleMs)),
      indexer_handler_writes_per_s: round(figures.handlerWritesPerSecond),
      queue_receive_ms_p50: round(percentile(figures.receiveMsPerBatch, 0.5)),
    }),
  );
  process.exit(0);
}

const specs: DatasetSpec[] = [
  ...(skipped.has('fashion-mnist') ? [] : [{ name: 'fashion-mnist' as const, queries: queryCount }]),
  { name: 'synthetic', n, dimension, queries: queryCount },
];
const results: DatasetFigures[] = [];
for (const spec of specs) results.push(await measureDataset(spec));
for (const result of results) printCosts(result);
log();
for (const result of results) log(JSON.stringify(result.line));
