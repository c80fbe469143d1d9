import { BlockScorer, type Codebook, MemoryPostings, probeLists, searchLists, trainCodebook } from '../../functions/domain/vq/index.js';

/** faiss's defaults for IVF training: 256 sampled points per centroid, a fixed number of Lloyd iterations. */
const kMeansTraining = { pointsPerCentroid: 256, iterations: 10 } as const;

/**
 * A static k-means IVF: a codebook trained once, every row assigned to its
 * nearest centroid, searched by the same list scan (codes + re-rank, same
 * SIMD kernels) as the streaming index, so the two differ only in how the
 * partition was made.
 */
export class StaticIvf {
  readonly postings: MemoryPostings;
  private readonly rerankScorer: BlockScorer;
  private readonly scores: Float32Array;
  private readonly nearest = new Int32Array(1);

  constructor(readonly codebook: Codebook) {
    this.postings = new MemoryPostings(codebook.dimension);
    this.rerankScorer = new BlockScorer(codebook.dimension);
    this.scores = new Float32Array(codebook.k);
    for (let c = 0; c < codebook.k; c += 1) this.postings.addList();
  }

  /** k-means (seeded, faiss's sampling and iterations) on rows 0..count-1, with k centroids. */
  static train(rows: Float32Array, count: number, dimension: number, k: number, seed: number): StaticIvf {
    return new StaticIvf(
      trainCodebook(rows, count, dimension, k, {
        seed,
        iterations: kMeansTraining.iterations,
        maxTrainingRows: kMeansTraining.pointsPerCentroid * k,
      }),
    );
  }

  /** Appends row `row` of `rows` as item `id` to its nearest centroid's list (scored in the SIMD kernel). */
  add(id: number, rows: Float32Array, row: number): void {
    const { dimension } = this.codebook;
    const vector = rows.subarray(row * dimension, (row + 1) * dimension);
    this.codebook.probe(vector, 1, this.scores, this.nearest);
    this.postings.append(this.nearest[0]!, id, vector);
  }

  listOf(id: number): number {
    return this.postings.listOf(id);
  }

  search(query: Float32Array, nprobe: number, rerank: number): number[] {
    return searchLists(this.codebook, this.postings, query, { k: 10, nprobe, rerank, maxCodes: 0 }, this.rerankScorer).map(
      (hit) => hit.item,
    );
  }

  /** The lists a query probes, and how many vectors they hold. */
  probed(query: Float32Array, nprobe: number): { lists: Set<number>; vectors: number } {
    const lists = probeLists(this.codebook, this.postings, query, nprobe);
    let vectors = 0;
    for (const list of lists) vectors += this.postings.listSize(list);
    return { lists: new Set(lists), vectors };
  }

  /** The fewest lists, best first for this query, that hold at least `vectors` vectors (equal work across partitions). */
  nprobeForWork(query: Float32Array, vectors: number): number {
    const lists = probeLists(this.codebook, this.postings, query, this.codebook.k);
    let scanned = 0;
    for (let p = 0; p < lists.length; p += 1) {
      scanned += this.postings.listSize(lists[p]!);
      if (scanned >= vectors) return p + 1;
    }
    return Math.max(1, lists.length);
  }

  imbalance(): number {
    let n = 0;
    let squares = 0;
    let used = 0;
    for (let c = 0; c < this.codebook.k; c += 1) {
      const size = this.postings.listSize(c);
      n += size;
      squares += size * size;
      if (size > 0) used += 1;
    }
    return n === 0 ? 1 : (used * squares) / (n * n);
  }

  memoryBytes(): number {
    return this.postings.memoryBytes() + this.codebook.memoryBytes();
  }
}
