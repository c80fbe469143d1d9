/**
 * Child process: writes a dataset into the index through the writer's own
 * storage path (IndexShardWriter, straight to the emulator), in commits of
 * `commitRows` rows per shard with a codebook update every `updateEvery` rows,
 * as the indexer's stream of batches would run. The rows are read from a file
 * a commit at a time, so the process's peak memory is the writer's.
 */
import { open } from 'node:fs/promises';
import { IndexShardWriter, shardOfItem, type IndexOperation } from '../../functions/domain/vq/index.js';
import { childInput, childResult, peakRssMb } from './childProcess.js';
import { rowId } from './datasets.js';
import { indexStorageFor, type S3Target } from './s3Target.js';

export interface BulkLoadInput {
  /** count × dimension little-endian float32 rows. */
  vectorsFile: string;
  count: number;
  dimension: number;
  target: S3Target;
  shards: number;
  commitRows: number;
  updateEvery: number;
}

export interface BulkLoadResult {
  seconds: number;
  commits: number;
  writerRssMb: number;
  clusters: number;
  pages: number;
  storedBytes: number;
}

const input = childInput<BulkLoadInput>();
const { dimension, count, commitRows } = input;
const storage = indexStorageFor(input.target);
const writers = new Map<string, IndexShardWriter>();
const writerOf = (shard: string) => {
  const writer = writers.get(shard) ?? new IndexShardWriter(storage, { shard, config: { dimension } });
  writers.set(shard, writer);
  return writer;
};
const file = await open(input.vectorsFile, 'r');
const started = performance.now();
let commits = 0;
try {
  for (let first = 0; first < count; first += commitRows) {
    const rows = Math.min(commitRows, count - first);
    const buffer = Buffer.alloc(rows * dimension * 4);
    await file.read(buffer, 0, buffer.length, first * dimension * 4);
    const vectors = new Float32Array(buffer.buffer, buffer.byteOffset, rows * dimension);
    const byShard = new Map<string, IndexOperation[]>();
    for (let r = 0; r < rows; r += 1) {
      const id = rowId(first + r);
      const shard = shardOfItem(id, input.shards);
      byShard.set(shard, [
        ...(byShard.get(shard) ?? []),
        { op: 'upsert', id, vector: vectors.subarray(r * dimension, (r + 1) * dimension) },
      ]);
    }
    for (const [shard, operations] of byShard) {
      await writerOf(shard).apply(operations, { updateEvery: input.updateEvery });
      commits += 1;
    }
    if ((first / commitRows) % 10 === 9 || first + rows >= count)
      process.stderr.write(`  bulk load: ${first + rows} of ${count} rows, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
} finally {
  await file.close();
}
const result: BulkLoadResult = {
  seconds: (performance.now() - started) / 1000,
  commits,
  writerRssMb: peakRssMb(),
  clusters: 0,
  pages: 0,
  storedBytes: 0,
};
for (const writer of writers.values()) {
  const manifest = writer.current!.manifest!;
  result.clusters += manifest.clusters;
  result.pages += manifest.pages.length;
  result.storedBytes += manifest.pages.reduce((sum, page) => sum + page.bytes + page.listBytes, 0);
}
childResult(result);
