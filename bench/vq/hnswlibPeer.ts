import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Setting } from './frontierSweep.js';

export interface BuiltPeer {
  name: string;
  insertPerS: number;
  /** Bytes of the built structure per vector (its saved file over n). */
  bytesPerVector: number;
  settings: Setting[];
}

/**
 * hnswlib-node as its users tune it: inner product space, one M and
 * efConstruction per build, points added one by one (single-threaded), ef
 * swept at search time.
 */
export async function buildHnswlib(
  rows: Float32Array,
  count: number,
  dimension: number,
  queries: Float32Array[],
  options: { m: number; efConstruction: number; efs: readonly number[]; seed: number },
): Promise<BuiltPeer> {
  const { m, efConstruction } = options;
  const points = Array.from({ length: count }, (_, i) => Array.from(rows.subarray(i * dimension, (i + 1) * dimension)));
  const index = new hnswlib.HierarchicalNSW('ip', dimension);
  index.initIndex(count, m, efConstruction, options.seed);
  const start = performance.now();
  for (let i = 0; i < count; i += 1) index.addPoint(points[i]!, i);
  const insertPerS = count / ((performance.now() - start) / 1000);
  const file = join(tmpdir(), `bench-hnsw-${process.pid}-${m}.bin`);
  await index.writeIndex(file);
  const bytesPerVector = (await stat(file)).size / count;
  await rm(file, { force: true });
  const queryArrays = queries.map((query) => Array.from(query));
  const name = `hnswlib M=${m}`;
  const settings = options.efs.map((ef) => ({
    label: `ef=${ef}`,
    prepare: () => index.setEf(ef),
    search: (query: number) => index.searchKnn(queryArrays[query]!, 10).neighbors,
  }));
  return { name, insertPerS, bytesPerVector, settings };
}
