/**
 * Child process: writes a dataset into the index through the writer's own
 * storage path (IndexShardWriter, one commit per shard, a codebook update
 * every `updateEvery` rows as the indexer's batches would run), straight to
 * the emulator. Reports its own peak memory: the writer's.
 */
import { IndexShardWriter, shardOfItem, type IndexOperation } from '../../functions/domain/vq/index.js';
import { childInput, childResult, peakRssMb } from './childProcess.js';
import { countingStorage } from './countingStorage.js';
import { loadScaleDataset, rowId, type DatasetSpec } from './datasets.js';
import { indexStorageFor, type S3Target } from './s3Target.js';

export interface BulkLoadInput {
  dataset: DatasetSpec;
  target: S3Target;
  shards: number;
  updateEvery: number;
  steadyBatches: number;
}

export interface BulkLoadResult {
  seconds: number;
  /** Then, on the loaded shard s0: batches of 10 new upserts (then their deletes) committed as the indexer commits them. */
  steadyUpserts: number;
  steadyObjectsWritten: number;
  steadyBytesWritten: number;
  steadySeconds: number;
  writerRssMb: number;
  inputMb: number;
  clusters: number;
  pages: number;
  storedBytes: number;
}

const input = childInput<BulkLoadInput>();
const dataset = loadScaleDataset(input.dataset);
const { dimension } = dataset;
const storage = indexStorageFor(input.target);
const byShard = new Map<string, IndexOperation[]>();
for (let row = 0; row < dataset.count; row += 1) {
  const id = rowId(row);
  const shard = shardOfItem(id, input.shards);
  const operations = byShard.get(shard) ?? [];
  operations.push({ op: 'upsert', id, vector: dataset.vectors.subarray(row * dimension, (row + 1) * dimension) });
  byShard.set(shard, operations);
}
const started = performance.now();
const result: BulkLoadResult = {
  seconds: 0,
  steadyUpserts: 0,
  steadyObjectsWritten: 0,
  steadyBytesWritten: 0,
  steadySeconds: 0,
  writerRssMb: 0,
  inputMb: dataset.vectors.byteLength / 2 ** 20,
  clusters: 0,
  pages: 0,
  storedBytes: 0,
};
for (const [shard, operations] of [...byShard].sort(([a], [b]) => a.localeCompare(b))) {
  const writer = new IndexShardWriter(storage, { shard, config: { dimension } });
  const commit = await writer.apply(operations, { updateEvery: input.updateEvery });
  const manifest = commit.manifest!;
  result.clusters += manifest.clusters;
  result.pages += manifest.pages.length;
  result.storedBytes += manifest.pages.reduce((sum, page) => sum + page.bytes + page.listBytes, 0);
  process.stderr.write(`  ${dataset.name}: shard ${shard} written, ${operations.length} rows, ${manifest.clusters} lists\n`);
}
result.seconds = (performance.now() - started) / 1000;

// Steady state: near-duplicates of indexed rows arrive as new items, 10 per commit (a FIFO batch).
const counted = countingStorage(storage);
const steady = new IndexShardWriter(counted.storage, { shard: 's0', config: { dimension } });
const s0Rows = byShard.get('s0') ?? [];
await steady.apply([]); // the cold load is not part of the steady state
const batches = Array.from({ length: input.steadyBatches }, (_, batch) =>
  s0Rows
    .slice(batch * 10, batch * 10 + 10)
    .map((operation) => ({ ...operation, id: `${operation.id.slice(0, 8)}ffffffff${operation.id.slice(16)}` })),
);
const steadyStarted = performance.now();
// Upserts, then the same items deleted again, so the loaded rows are all the index holds afterwards.
for (const operations of [...batches, ...batches.map((batch) => batch.map(({ id }) => ({ op: 'delete' as const, id })))]) {
  const commit = await steady.apply(operations);
  result.steadyUpserts += operations.length;
  result.steadyObjectsWritten += commit.objectsWritten;
}
result.steadySeconds = (performance.now() - steadyStarted) / 1000;
result.steadyBytesWritten = counted.counts.bytesWritten;
result.writerRssMb = peakRssMb();
childResult(result);
