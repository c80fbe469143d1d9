import type { BlockScorer } from './blockScorer.js';
import type { Postings } from './postings.js';
import type { Codebook } from './quantizer.js';
import { QuantizedQuery } from './scalarCodes.js';
import type { SearchParams } from './searchParams.js';
import { TopK } from './topK.js';

/** An item number and its exact inner product with the query. */
export interface ScoredItem {
  item: number;
  score: number;
}

/**
 * The query path of an IVF over scalar codes (after ScaNN's partitions +
 * quantised scoring + re-rank): score every centroid, take the best `nprobe`
 * non-empty lists, scan their codes for the best `rerank` candidates, and
 * re-score those exactly on their float32 vectors. rerank 0 scans the float32
 * vectors instead (the exact reference). Reads only.
 */
export function searchLists(
  codebook: Codebook,
  postings: Postings,
  query: Float32Array,
  params: SearchParams,
  rerankScorer: BlockScorer,
): ScoredItem[] {
  const lists = probeLists(codebook, postings, query, params.nprobe);
  return params.rerank === 0 ? scanExact(postings, lists, query, params) : scanCodes(postings, lists, query, params, rerankScorer);
}

/** The best n centroids whose lists hold anything, best first. */
export function probeLists(codebook: Codebook, postings: Pick<Postings, 'listSize'>, query: Float32Array, n: number): Int32Array {
  const scores = new Float32Array(codebook.k);
  codebook.scoreAll(query, scores);
  const heap = new TopK(n);
  for (let c = 0; c < codebook.k; c += 1) if (scores[c]! > heap.threshold && postings.listSize(c) > 0) heap.push(scores[c]!, c);
  return Int32Array.from(heap.sorted(), (hit) => hit.id);
}

function longestList(postings: Postings, lists: Int32Array): number {
  let longest = 0;
  for (const list of lists) longest = Math.max(longest, postings.listSize(list));
  return longest;
}

function scanExact(postings: Postings, lists: Int32Array, query: Float32Array, { k, maxCodes }: SearchParams): ScoredItem[] {
  const scores = new Float32Array(longestList(postings, lists));
  const heap = new TopK(k);
  let scanned = 0;
  for (const list of lists) {
    const size = postings.listSize(list);
    postings.scoreExact(list, query, scores);
    const items = postings.listItems(list);
    for (let i = 0; i < size; i += 1) if (scores[i]! > heap.threshold) heap.push(scores[i]!, items[i]!);
    scanned += size;
    if (maxCodes > 0 && scanned >= maxCodes) break;
  }
  return heap.sorted().map(({ id, score }) => ({ item: id, score }));
}

function scanCodes(
  postings: Postings,
  lists: Int32Array,
  query: Float32Array,
  params: SearchParams,
  rerankScorer: BlockScorer,
): ScoredItem[] {
  const candidates = codeCandidates(postings, lists, query, params);
  return rerankExact(query, candidates, (item) => postings.vectorOf(item), params.k, rerankScorer);
}

/** What a code scan needs of the lists it probes: a memory index's postings, or lists fetched from storage. */
export type CodeLists = Pick<Postings, 'dimension' | 'listSize' | 'listItems' | 'scoreCodes'>;

/** The best max(k, rerank) items of the lists by their code estimates (item numbers, in no order). */
export function codeCandidates(
  source: CodeLists,
  lists: ArrayLike<number>,
  query: Float32Array,
  { k, rerank, maxCodes }: SearchParams,
): number[] {
  let longest = 0;
  for (let i = 0; i < lists.length; i += 1) longest = Math.max(longest, source.listSize(lists[i]!));
  const dots = new Int32Array(longest);
  const quantized = new QuantizedQuery(source.dimension).set(query);
  const offset = quantized.sum;
  const inverseScale = 1 / quantized.scale;
  const candidates = new TopK(Math.max(k, rerank));
  const { capacity, scores: weakest } = candidates;
  let scanned = 0;
  for (let l = 0; l < lists.length; l += 1) {
    const list = lists[l]!;
    const size = source.listSize(list);
    const params = source.scoreCodes(list, quantized, dots);
    const items = source.listItems(list);
    for (let i = 0; i < size; i += 1) {
      // q · x ≈ low · Σq + step · (values · codes) / scale (scalarCodes.ts).
      const estimate = params[2 * i]! * offset + params[2 * i + 1]! * dots[i]! * inverseScale;
      if (candidates.size < capacity || estimate > weakest[0]!) candidates.push(estimate, items[i]!);
    }
    scanned += size;
    if (maxCodes > 0 && scanned >= maxCodes) break;
  }
  return Array.from(candidates.ids.subarray(0, candidates.size));
}

/** The candidates' float32 vectors, re-scored exactly in one SIMD pass; the best k, best first. */
export function rerankExact(
  query: Float32Array,
  candidates: readonly number[],
  vectorOf: (item: number) => Float32Array,
  k: number,
  rerankScorer: BlockScorer,
): ScoredItem[] {
  const dimension = query.length;
  const count = candidates.length;
  const block = new Float32Array(count * dimension);
  candidates.forEach((item, c) => block.set(vectorOf(item), c * dimension));
  rerankScorer.load(block, count);
  const exact = new Float32Array(count);
  rerankScorer.score(query, exact);
  const heap = new TopK(k);
  for (let c = 0; c < count; c += 1) if (exact[c]! > heap.threshold) heap.push(exact[c]!, candidates[c]!);
  return heap.sorted().map(({ id, score }) => ({ item: id, score }));
}
