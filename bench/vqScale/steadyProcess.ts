/**
 * Child process: the indexer on a loaded shard, as a new Lambda instance
 * meets it. A cold writer opens shard s0 (codebook pages, each blob's ids and
 * its list's sum), then commits batches of 10 upserts (near-duplicates of
 * loaded rows, as new items) and then their deletes, straight to the
 * emulator, twice: right after the bulk load, and again (measured). Its peak
 * memory is an indexer's for this shard.
 */
import { open } from 'node:fs/promises';
import { IndexShardWriter, type IndexOperation } from '../../functions/domain/vq/index.js';
import { childInput, childResult, peakRssMb } from './childProcess.js';
import { countingStorage } from './countingStorage.js';
import { rowId } from './datasets.js';
import { indexStorageFor, type S3Target } from './s3Target.js';

export interface SteadyInput {
  vectorsFile: string;
  dimension: number;
  target: S3Target;
  batches: number;
}

interface CommitFigures {
  upserts: number;
  seconds: number;
  objectsWritten: number;
  bytesWritten: number;
  gets: number;
}

export interface SteadyResult extends CommitFigures {
  openSeconds: number;
  openGets: number;
  openBytesRead: number;
  /** The same batches right after the bulk load, before the measured round (their commits also compact its packs). */
  afterBulkLoad?: CommitFigures;
  upserts: number;
  seconds: number;
  objectsWritten: number;
  bytesWritten: number;
  gets: number;
  rssMb: number;
  /** Heap and array buffers after a full collection at the end (the writer's live memory, with Node's own). */
  liveMb: number;
  /** What the index reports it holds: lists in memory, codebook, sums and ids. */
  indexMb: number;
}

const input = childInput<SteadyInput>();
const { dimension } = input;
const counted = countingStorage(indexStorageFor(input.target));
const writer = new IndexShardWriter(counted.storage, { shard: 's0', config: { dimension } });
let started = performance.now();
await writer.apply([]); // the cold open, apart from the commits
const result: SteadyResult = {
  openSeconds: (performance.now() - started) / 1000,
  openGets: counted.counts.gets,
  openBytesRead: counted.counts.bytesRead,
  upserts: 0,
  seconds: 0,
  objectsWritten: 0,
  bytesWritten: 0,
  gets: 0,
  rssMb: 0,
  liveMb: 0,
  indexMb: 0,
};
// Only the rows it upserts: the process's memory is the writer's.
const raw = Buffer.alloc(input.batches * 10 * dimension * 4);
const file = await open(input.vectorsFile, 'r');
await file.read(raw, 0, raw.length, 0);
await file.close();
const vectors = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const newId = (row: number) => `${rowId(row).slice(0, 8)}ffffffff${rowId(row).slice(16)}`;
const batches: IndexOperation[][] = Array.from({ length: input.batches }, (_, batch) =>
  Array.from({ length: 10 }, (_, i) => {
    const row = batch * 10 + i;
    return { op: 'upsert' as const, id: newId(row), vector: vectors.subarray(row * dimension, (row + 1) * dimension) };
  }),
);
// Two rounds: the first right after the bulk load (its commits also compact the bulk load's packs), the second measured.
for (const round of ['after the bulk load', 'measured'] as const) {
  const before = { ...counted.counts };
  started = performance.now();
  let upserts = 0;
  let objectsWritten = 0;
  // Upserts, then the same items deleted again, so the loaded rows are all the index holds afterwards.
  for (const operations of [...batches, ...batches.map((batch) => batch.map(({ id }) => ({ op: 'delete' as const, id })))]) {
    const commit = await writer.apply(operations);
    upserts += operations.length;
    objectsWritten += commit.objectsWritten;
  }
  const seconds = (performance.now() - started) / 1000;
  const figures = {
    upserts,
    seconds,
    objectsWritten,
    bytesWritten: counted.counts.bytesWritten - before.bytesWritten,
    gets: counted.counts.gets - before.gets,
  };
  if (round === 'measured') Object.assign(result, figures);
  else result.afterBulkLoad = figures;
}
result.rssMb = peakRssMb();
// What the writer holds, apart from garbage not yet collected: the heap and array buffers after a full collection.
(globalThis as { gc?: () => void }).gc?.();
const memory = process.memoryUsage();
result.liveMb = (memory.heapUsed + memory.arrayBuffers) / 2 ** 20;
result.indexMb = writer.current!.index.memoryBytes() / 2 ** 20;
childResult(result);
