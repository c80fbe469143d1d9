/**
 * The writer's commit throughput on its storage path: `n` 256-d upserts
 * applied in commits of `batch` through IndexShardWriter into s3rver (no queue,
 * no added latency), with the objects and bytes each commit writes.
 * Usage: npm run bench:vq-commits -- [n=100000] [batch=1000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3IndexStorage } from '../functions/adapters/store/index.js';
import { IndexShardWriter, type IndexOperation } from '../functions/domain/vq/index.js';
import { startLocalPipeline } from '../local/index.js';
import { clusteredSet } from './vq/syntheticData.js';
import { countingStorage } from './vqScale/countingStorage.js';

const n = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 1000);
const dimension = 256;
const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-commits-'));
const pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
try {
  const set = clusteredSet({ count: n, dimension, clusters: Math.round(n / 500), seed: 11 });
  const counted = countingStorage(new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated'));
  const writer = new IndexShardWriter(counted.storage, { shard: 's0', config: { dimension } });
  const started = performance.now();
  let objects = 0;
  let commits = 0;
  for (let first = 0; first < n; first += batch) {
    const operations: IndexOperation[] = [];
    for (let row = first; row < Math.min(n, first + batch); row += 1)
      operations.push({ op: 'upsert', id: `row-${row}`, vector: set.vectors.subarray(row * dimension, (row + 1) * dimension) });
    const result = await writer.apply(operations);
    objects += result.objectsWritten;
    commits += 1;
    if (commits % Math.max(1, Math.floor(n / batch / 10)) === 0)
      console.log(
        `  ${first + operations.length} items, ${result.manifest?.clusters} lists, ${(counted.counts.bytesWritten / 2 ** 20).toFixed(0)} MB written`,
      );
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      n,
      batch,
      seconds: Math.round(seconds * 10) / 10,
      writes_per_s: Math.round(n / seconds),
      objects_per_commit: objects / commits,
      mb_written: Math.round(counted.counts.bytesWritten / 2 ** 20),
    }),
  );
} finally {
  await pipeline.stop();
  await rm(dataDir, { recursive: true, force: true });
}
