import { loadFashionMnist } from '../datasets/fashionMnist.js';
import { clusteredSet } from '../vq/syntheticData.js';

/** A dataset as the scale bench uses it: rows to index and held-out query rows (never indexed). */
export interface ScaleDataset {
  name: string;
  dimension: number;
  count: number;
  /** count × dimension, unit rows. */
  vectors: Float32Array;
  queries: Float32Array[];
}

export type DatasetSpec = { name: 'synthetic'; n: number; dimension: number; queries: number } | { name: 'fashion-mnist'; queries: number };

/** Deterministic: the bench and its child processes build the same rows from the same spec. */
export function loadScaleDataset(spec: DatasetSpec): ScaleDataset {
  if (spec.name === 'fashion-mnist') {
    const { dimension, train, test } = loadFashionMnist();
    const queries = Array.from({ length: spec.queries }, (_, q) => test.vectors.slice(q * dimension, (q + 1) * dimension));
    return { name: spec.name, dimension, count: train.count, vectors: train.vectors, queries };
  }
  const { n, dimension } = spec;
  // Embedding-like clusters at the density of a real library: about 500 rows per generating cluster.
  const set = clusteredSet({ count: n + spec.queries, dimension, clusters: Math.max(8, Math.round(n / 500)), seed: 11 });
  const queries = Array.from({ length: spec.queries }, (_, q) => set.vectors.slice((n + q) * dimension, (n + q + 1) * dimension));
  return { name: spec.name, dimension, count: n, vectors: set.vectors.subarray(0, n * dimension), queries };
}

/** Item ids are hex, as the pipeline's are (shards hash their first 8 digits); the row number is the tail. */
export function rowId(row: number): string {
  const hash = (Math.imul(row + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  return `${hash}${row.toString(16).padStart(24, '0')}`;
}

export const rowOf = (id: string) => Number.parseInt(id.slice(8), 16);
