/**
 * Child process: the query function's path (SimilarityIndex over S3 through
 * the latency proxy), its memory its own. Per setting and query: cold (list
 * cache emptied, manifest re-checked: a query whose lists no query before it
 * fetched) then warm (the same query again: lists and re-rank vectors cached,
 * manifest within refreshMs). Counts the requests and bytes of cold queries.
 */
import { readFileSync } from 'node:fs';
import { SimilarityIndex } from '../../functions/stages/retrieval/index.js';
import { childInput, childResult, peakRssMb } from './childProcess.js';
import { countingStorage } from './countingStorage.js';
import { indexStorageFor, type S3Target } from './s3Target.js';

export interface QuerySetting {
  nprobe: number;
  rerank: number;
}

export interface QueryInput {
  target: S3Target;
  shards: number;
  queriesFile: string;
  dimension: number;
  settings: QuerySetting[];
  refreshMs: number;
  listCacheBytes: number;
  k: number;
}

export interface SettingResult extends QuerySetting {
  coldMs: number[];
  warmMs: number[];
  coldGets: number[];
  coldBytes: number[];
  ids: string[][];
}

export interface QueryResult {
  firstQueryMs: number;
  firstQueryGets: number;
  settings: SettingResult[];
  rssMb: number;
}

const input = childInput<QueryInput>();
const raw = readFileSync(input.queriesFile);
const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const queries = Array.from({ length: all.length / input.dimension }, (_, q) =>
  all.subarray(q * input.dimension, (q + 1) * input.dimension),
);

const { storage, counts } = countingStorage(indexStorageFor(input.target));

let clock = 0;
const result: QueryResult = { firstQueryMs: 0, firstQueryGets: 0, settings: [], rssMb: 0 };
for (const [s, setting] of input.settings.entries()) {
  const index = new SimilarityIndex(storage, {
    shards: input.shards,
    refreshMs: input.refreshMs,
    listCacheBytes: input.listCacheBytes,
    now: () => clock,
    ...setting,
  });
  // A new query function: the first query reads the manifest and every codebook page.
  const gets = counts.gets;
  const first = performance.now();
  await index.search(queries[0]!, input.k);
  if (s === 0) Object.assign(result, { firstQueryMs: performance.now() - first, firstQueryGets: counts.gets - gets });
  const measured: SettingResult = { ...setting, coldMs: [], warmMs: [], coldGets: [], coldBytes: [], ids: [] };
  for (const query of queries) {
    index.cache.clear();
    clock += input.refreshMs;
    const before = { ...counts };
    let started = performance.now();
    const hits = await index.search(query, input.k);
    measured.coldMs.push(performance.now() - started);
    measured.coldGets.push(counts.gets - before.gets);
    measured.coldBytes.push(counts.bytesRead - before.bytesRead);
    started = performance.now();
    await index.search(query, input.k);
    measured.warmMs.push(performance.now() - started);
    measured.ids.push(hits.map((hit) => hit.id));
  }
  result.settings.push(measured);
  process.stderr.write(`  queried nprobe ${setting.nprobe}, rerank ${setting.rerank}\n`);
}
result.rssMb = peakRssMb();
childResult(result);
