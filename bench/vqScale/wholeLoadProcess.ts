/** Child process: loads every shard whole (the writer's loader, every vector in memory) and reports its peak memory. */
import { allShards, loadIndexShard } from '../../functions/domain/vq/index.js';
import { childInput, childResult, peakRssMb } from './childProcess.js';
import { indexStorageFor, type S3Target } from './s3Target.js';

const input = childInput<{ target: S3Target; shards: number }>();
const storage = indexStorageFor(input.target);
const started = performance.now();
let items = 0;
const loaded = [];
for (const shard of allShards(input.shards)) {
  const shardIndex = await loadIndexShard(storage, shard);
  items += shardIndex?.index.size ?? 0;
  loaded.push(shardIndex);
}
childResult({ items, seconds: (performance.now() - started) / 1000, rssMb: peakRssMb(), shards: loaded.length });
