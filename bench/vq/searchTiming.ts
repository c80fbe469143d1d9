import { recallAtK } from './bruteForce.js';
import { spreadOf, type Spread } from './frontier.js';

export interface MeasuredSetting {
  recall: number;
  qps: Spread;
}

/**
 * Recall@k of one setting (queries are numbers a system maps to its own query format) and its QPS over `repetitions` timed passes of all
 * queries (one warm-up pass first, single-threaded); QPS is each pass's
 * queries over its wall time, reported as median and range.
 */
export function measureSetting(
  queries: readonly number[],
  truth: readonly Int32Array[],
  k: number,
  repetitions: number,
  search: (query: number) => ArrayLike<number>,
): MeasuredSetting {
  const found = queries.map(search);
  const recall = recallAtK(truth, found, k);
  const qps: number[] = [];
  for (let r = 0; r < repetitions; r += 1) {
    const start = performance.now();
    for (const query of queries) search(query);
    qps.push(queries.length / ((performance.now() - start) / 1000));
  }
  return { recall, qps: spreadOf(qps) };
}
