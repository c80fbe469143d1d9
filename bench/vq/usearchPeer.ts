import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import usearch from 'usearch';
import type { BuiltPeer } from './hnswlibPeer.js';

/**
 * usearch as its users tune it: inner product, float32, one connectivity and
 * expansion_add per build, vectors added one by one on one thread. Its search
 * expansion is fixed when an Index is constructed, so each expansion_search
 * is a fresh Index that loads the saved graph (the graph is built once).
 */
export async function buildUsearch(
  rows: Float32Array,
  count: number,
  dimension: number,
  queries: Float32Array[],
  options: { connectivity: number; expansionAdd: number; expansionsSearch: readonly number[] },
): Promise<BuiltPeer> {
  const { connectivity, expansionAdd } = options;
  const config = (expansionSearch: number) => ({
    dimensions: dimension,
    metric: usearch.MetricKind.IP,
    quantization: usearch.ScalarKind.F32,
    multi: false,
    connectivity,
    expansion_add: expansionAdd,
    expansion_search: expansionSearch,
  });
  const built = new usearch.Index(config(options.expansionsSearch[0]!));
  const start = performance.now();
  for (let i = 0; i < count; i += 1) built.add(BigInt(i), rows.subarray(i * dimension, (i + 1) * dimension), 1);
  const insertPerS = count / ((performance.now() - start) / 1000);
  const file = join(tmpdir(), `bench-usearch-${process.pid}-${connectivity}.bin`);
  built.save(file);
  const bytesPerVector = (await stat(file)).size / count;
  const settings = options.expansionsSearch.map((expansionSearch) => {
    const index = new usearch.Index(config(expansionSearch));
    index.load(file);
    return {
      label: `expansion_search=${expansionSearch}`,
      search: (query: number) => Array.from(index.search(queries[query]!, 10, 1).keys, Number),
    };
  });
  await rm(file, { force: true });
  return { name: `usearch M=${connectivity} expansion_add=${expansionAdd}`, insertPerS, bytesPerVector, settings };
}
