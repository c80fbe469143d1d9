import { defaultIndexConfig } from './constants.js';
import { dot, normalizeInPlace } from './dotProducts.js';
import { DimensionMismatchError, InvalidVqParameterError } from './errors.js';
import { MemoryPostings } from './postings.js';
import { createPrng, type Prng } from './prng.js';
import { Codebook, selectTop } from './quantizer.js';
import { resolveSearchParams, type SearchParams } from './searchParams.js';
import { TopK } from './topK.js';
import type {
  IndexChanges,
  IndexSnapshotState,
  IndexStats,
  SearchHit,
  StoredEntry,
  UpdateReport,
  VqIndexConfig,
} from './types.js';

/**
 * A streaming vector-quantization index (after Douyin's Streaming VQ):
 * items are attached to a centroid the moment they arrive; the codebook grows
 * by splitting oversized clusters, follows the stream by EMA updates, and a
 * bounded repair per update re-assigns items whose centroid drifted away.
 * Every list is kept in insertion-sequence order, so the state is canonical:
 * a reload from storage continues exactly as the writer would have.
 */
export class StreamingVqIndex {
  readonly config: VqIndexConfig;
  readonly dimension: number;
  private readonly codebook: Codebook;
  private readonly postings: MemoryPostings;
  private prng: Prng;
  private nextSeq = 0;

  // Per centroid.
  private drift = new Float32Array(16);
  private pendingSums = new Float64Array(16);
  private pendingCounts = new Int32Array(16);

  // Per item number (dense, reused after deletes).
  private readonly itemNumbers = new Map<string, number>();
  private itemIds: (string | undefined)[] = [];
  private itemList = new Int32Array(1024);
  private itemSeq = new Float64Array(1024);
  private readonly freeItems: number[] = [];
  private liveItems = 0;

  // Change journal for the next delta segment.
  private readonly dirtyItems = new Set<number>();
  private readonly deletedIds = new Set<string>();

  // Scratch for insert and maintenance (search allocates its own: it never mutates the index).
  private readonly unit: Float32Array;
  private centroidScores = new Float32Array(16);

  private constructor(config: VqIndexConfig) {
    this.config = config;
    this.dimension = config.dimension;
    this.codebook = new Codebook(config.dimension);
    this.postings = new MemoryPostings(config.dimension);
    this.prng = createPrng(config.seed);
    this.unit = new Float32Array(config.dimension);
    this.pendingSums = new Float64Array(16 * config.dimension);
  }

  static create(config: Partial<VqIndexConfig> & { dimension: number }): StreamingVqIndex {
    return new StreamingVqIndex(validateConfig({ ...defaultIndexConfig, ...config }));
  }

  /** Rebuilds an index from stored state and entries (any order); see indexShardReader.ts. */
  static restore(state: IndexSnapshotState, entries: Iterable<StoredEntry>): StreamingVqIndex {
    const index = new StreamingVqIndex(validateConfig(state.config));
    index.applyStoredChanges(state, { puts: [...entries], deletes: [] });
    return index;
  }

  /**
   * Applies a stored delta (what another writer committed): the codebook and
   * PRNG state replace this one's, deleted ids go, put entries land in their
   * recorded lists at their sequence position. A reader stays equal to the writer.
   */
  applyStoredChanges(state: IndexSnapshotState, changes: IndexChanges): void {
    const { dimension } = this;
    if (state.config.dimension !== dimension) throw new DimensionMismatchError(dimension, state.config.dimension);
    for (let c = 0; c < state.k; c += 1) {
      if (c < this.codebook.k) this.codebook.set(c, state.centroids, c * dimension);
      else this.addCluster(state.centroids, c * dimension);
    }
    this.drift.fill(0);
    this.drift.set(state.drift.subarray(0, state.k));
    this.prng = createPrng(state.prngState);
    this.nextSeq = state.nextSeq;
    for (const id of changes.deletes) {
      const item = this.itemNumbers.get(id);
      if (item !== undefined) this.removeItem(item);
    }
    const puts = [...changes.puts].sort((a, b) => a.list - b.list || a.seq - b.seq);
    for (const entry of puts) {
      if (entry.vector.length !== dimension) throw new DimensionMismatchError(dimension, entry.vector.length);
      if (entry.list < 0 || entry.list >= this.codebook.k) throw new InvalidVqParameterError('list', `a centroid number below ${this.codebook.k}`, entry.list);
      const existing = this.itemNumbers.get(entry.id);
      if (existing !== undefined) this.removeItem(existing);
      const item = this.allocateItem(entry.id, entry.seq, entry.list);
      this.postings.insertAt(entry.list, this.seqPosition(entry.list, entry.seq), item, entry.vector);
    }
    this.dirtyItems.clear();
    this.deletedIds.clear();
  }

  get size(): number {
    return this.liveItems;
  }

  get clusterCount(): number {
    return this.codebook.k;
  }

  has(id: string): boolean {
    return this.itemNumbers.has(id);
  }

  /** A copy of the stored unit vector of an item, or undefined. */
  vectorOf(id: string): Float32Array | undefined {
    const item = this.itemNumbers.get(id);
    if (item === undefined) return undefined;
    const list = this.itemList[item]!;
    const slot = this.slotOf(list, item);
    return this.postings.listVectors(list).slice(slot * this.dimension, (slot + 1) * this.dimension);
  }

  /**
   * Inserts (or replaces) an item; it is searchable on return. The vector is
   * L2-normalised on the way in. Re-inserting the same vector is a no-op
   * (returns false), so a re-delivered message changes nothing.
   */
  insert(id: string, vector: Float32Array): boolean {
    this.checkDimension(vector);
    const unit = this.unit;
    unit.set(vector);
    normalizeInPlace(unit);
    const existing = this.itemNumbers.get(id);
    if (existing !== undefined) {
      const list = this.itemList[existing]!;
      const slot = this.slotOf(list, existing);
      if (sameVector(this.postings.listVectors(list), slot * this.dimension, unit, this.dimension)) return false;
      this.removeItem(existing);
    }
    if (this.codebook.k === 0) this.addCluster(unit, 0);
    const list = this.assign(unit, -1);
    const item = this.allocateItem(id, this.nextSeq, list);
    this.nextSeq += 1;
    this.postings.insertAt(list, this.postings.listSize(list), item, unit);
    this.addPending(list, unit, 0);
    this.deletedIds.delete(id);
    this.dirtyItems.add(item);
    if (this.postings.listSize(list) > this.splitThreshold()) this.split(list);
    return true;
  }

  /** Removes an item; returns false if it was not there. Storage keeps a tombstone until compaction. */
  delete(id: string): boolean {
    const item = this.itemNumbers.get(id);
    if (item === undefined) return false;
    this.removeItem(item);
    this.deletedIds.add(id);
    return true;
  }

  /**
   * Scores all centroids, scans the best nprobe lists exactly and returns the
   * top k, best first. Reads only: the index is not changed.
   */
  search(query: Float32Array, params: Partial<SearchParams> = {}): SearchHit[] {
    this.checkDimension(query);
    const { k, nprobe, maxCodes } = resolveSearchParams(params);
    const clusters = this.codebook.k;
    if (clusters === 0) return [];
    const probe = Math.min(nprobe, clusters);
    const centroidScores = new Float32Array(clusters);
    const order = new Int32Array(probe);
    this.codebook.probe(query, probe, centroidScores, order);
    let longest = 0;
    for (let p = 0; p < probe; p += 1) longest = Math.max(longest, this.postings.listSize(order[p]!));
    const rowScores = new Float32Array(longest);
    const heap = new TopK(k);
    let scanned = 0;
    for (let p = 0; p < probe; p += 1) {
      const list = order[p]!;
      const size = this.postings.listSize(list);
      if (size === 0) continue;
      this.postings.scoreList(list, query, rowScores);
      const items = this.postings.listItems(list);
      for (let i = 0; i < size; i += 1) {
        const score = rowScores[i]!;
        if (score > heap.threshold) heap.push(score, items[i]!);
      }
      scanned += size;
      if (maxCodes > 0 && scanned >= maxCodes) break;
    }
    return heap.sorted().map(({ id, score }) => ({ id: this.itemIds[id]!, score }));
  }

  /**
   * One codebook update: EMA of each centroid toward the vectors it received
   * since the last update, re-seeding of emptied centroids, then repair of the
   * most-drifted clusters within the budget.
   */
  update(): UpdateReport {
    const report: UpdateReport = { centroidsUpdated: 0, reseeded: 0, clustersRepaired: 0, itemsChecked: 0, itemsMoved: 0 };
    const { dimension } = this;
    const previous = new Float32Array(dimension);
    const centroids = () => this.codebook.centroids;
    for (let c = 0; c < this.codebook.k; c += 1) {
      const count = this.pendingCounts[c]!;
      if (count === 0) continue;
      const size = this.postings.listSize(c);
      const rate = Math.min(1, Math.max(this.config.emaMinRate, size > 0 ? count / size : 1));
      const base = c * dimension;
      previous.set(centroids().subarray(base, base + dimension));
      for (let d = 0; d < dimension; d += 1) {
        centroids()[base + d] = (1 - rate) * previous[d]! + (rate * this.pendingSums[base + d]!) / count;
      }
      normalizeInPlace(centroids(), base, dimension);
      this.drift[c]! += 1 - dot(previous, 0, centroids(), base, dimension);
      report.centroidsUpdated += 1;
    }
    if (report.centroidsUpdated > 0) this.codebook.changed();
    this.pendingSums.fill(0);
    this.pendingCounts.fill(0);

    for (let c = 0; c < this.codebook.k; c += 1) {
      if (this.postings.listSize(c) > 0) continue;
      const largest = this.largestCluster();
      if (this.postings.listSize(largest) < 2) break;
      this.splitInto(largest, c);
      report.reseeded += 1;
    }

    let budget = this.config.repairBudget;
    const candidates = Array.from({ length: this.codebook.k }, (_, c) => c)
      .filter((c) => this.drift[c]! >= this.config.repairMinDrift && this.postings.listSize(c) > 0)
      .sort((a, b) => this.drift[b]! - this.drift[a]! || a - b);
    for (const c of candidates) {
      if (budget <= 0) break;
      const { checked, moved } = this.repairCluster(c);
      budget -= checked;
      report.clustersRepaired += 1;
      report.itemsChecked += checked;
      report.itemsMoved += moved;
    }
    return report;
  }

  stats(): IndexStats {
    const clusters = this.codebook.k;
    let sumSquares = 0;
    let largest = 0;
    let empty = 0;
    for (let c = 0; c < clusters; c += 1) {
      const n = this.postings.listSize(c);
      sumSquares += n * n;
      largest = Math.max(largest, n);
      if (n === 0) empty += 1;
    }
    const n = this.liveItems;
    return {
      items: n,
      clusters,
      emptyClusters: empty,
      imbalanceFactor: n === 0 ? 1 : (clusters * sumSquares) / (n * n),
      maxClusterOverMean: n === 0 ? 1 : largest / (n / clusters),
    };
  }

  /** Cluster sizes, by centroid number. */
  clusterSizes(): Int32Array {
    return Int32Array.from({ length: this.codebook.k }, (_, c) => this.postings.listSize(c));
  }

  /** Changes since the last call (what a delta segment records), and clears the journal. */
  takeChanges(): IndexChanges {
    const puts = [...this.dirtyItems].map((item) => this.entryOf(item)).sort((a, b) => a.seq - b.seq);
    const deletes = [...this.deletedIds].sort();
    this.dirtyItems.clear();
    this.deletedIds.clear();
    return { puts, deletes };
  }

  /** True when there are changes takeChanges() would return. */
  get hasChanges(): boolean {
    return this.dirtyItems.size > 0 || this.deletedIds.size > 0;
  }

  /** The state a reload needs besides the entries (copies). Canonical right after update(), when no EMA input is pending. */
  snapshotState(): IndexSnapshotState {
    const k = this.codebook.k;
    return {
      config: { ...this.config },
      centroids: this.codebook.centroids.slice(0, k * this.dimension),
      k,
      drift: this.drift.slice(0, k),
      prngState: this.prng.state,
      nextSeq: this.nextSeq,
    };
  }

  /** Every live entry, list by list, in list order. */
  *entries(): IterableIterator<StoredEntry> {
    for (let list = 0; list < this.codebook.k; list += 1) {
      const items = this.postings.listItems(list);
      for (let slot = 0; slot < this.postings.listSize(list); slot += 1) yield this.entryOf(items[slot]!);
    }
  }

  // ---- internals -------------------------------------------------------

  private checkDimension(vector: Float32Array): void {
    if (vector.length !== this.dimension) throw new DimensionMismatchError(this.dimension, vector.length);
  }

  private splitThreshold(): number {
    return this.config.splitFactor * this.config.targetClusterSize;
  }

  /** The best centroid for vector[offset..] with the balance discount, never `exclude`. */
  private assign(vector: Float32Array, exclude: number): number {
    const k = this.codebook.k;
    if (this.centroidScores.length < k) this.centroidScores = new Float32Array(this.codebook.centroids.length / this.dimension);
    const scores = this.centroidScores;
    this.codebook.scoreAll(vector, scores);
    const { balancePenalty, targetClusterSize } = this.config;
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < k; c += 1) {
      if (c === exclude) continue;
      const over = this.postings.listSize(c) / targetClusterSize - 1;
      const score = over > 0 ? scores[c]! - balancePenalty * over : scores[c]!;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  private addCluster(centroid: Float32Array, offset: number): number {
    const c = this.codebook.add(centroid, offset);
    this.postings.addList();
    const capacity = this.codebook.centroids.length / this.dimension;
    if (this.drift.length < capacity) {
      const drift = new Float32Array(capacity);
      drift.set(this.drift);
      this.drift = drift;
      const counts = new Int32Array(capacity);
      counts.set(this.pendingCounts);
      this.pendingCounts = counts;
      const sums = new Float64Array(capacity * this.dimension);
      sums.set(this.pendingSums);
      this.pendingSums = sums;
    }
    return c;
  }

  private addPending(list: number, vector: Float32Array, offset: number): void {
    const base = list * this.dimension;
    for (let d = 0; d < this.dimension; d += 1) this.pendingSums[base + d]! += vector[offset + d]!;
    this.pendingCounts[list]! += 1;
  }

  private allocateItem(id: string, seq: number, list: number): number {
    let item = this.freeItems.pop();
    if (item === undefined) {
      item = this.itemIds.length;
      this.itemIds.push(undefined);
      if (item >= this.itemList.length) {
        const lists = new Int32Array(this.itemList.length * 2);
        lists.set(this.itemList);
        this.itemList = lists;
        const seqs = new Float64Array(this.itemSeq.length * 2);
        seqs.set(this.itemSeq);
        this.itemSeq = seqs;
      }
    }
    this.itemIds[item] = id;
    this.itemNumbers.set(id, item);
    this.itemList[item] = list;
    this.itemSeq[item] = seq;
    this.liveItems += 1;
    return item;
  }

  private removeItem(item: number): void {
    const list = this.itemList[item]!;
    this.postings.removeAt(list, this.slotOf(list, item));
    this.itemNumbers.delete(this.itemIds[item]!);
    this.itemIds[item] = undefined;
    this.dirtyItems.delete(item);
    this.freeItems.push(item);
    this.liveItems -= 1;
  }

  private slotOf(list: number, item: number): number {
    const items = this.postings.listItems(list);
    const size = this.postings.listSize(list);
    for (let slot = size - 1; slot >= 0; slot -= 1) if (items[slot] === item) return slot;
    throw new Error(`item ${item} is not in list ${list}`);
  }

  /** Moves an item to another list, at its sequence position there. */
  private moveItem(item: number, from: number, to: number): void {
    const { dimension } = this;
    const fromSlot = this.slotOf(from, item);
    const vector = this.postings.listVectors(from).slice(fromSlot * dimension, (fromSlot + 1) * dimension);
    this.postings.removeAt(from, fromSlot);
    this.postings.insertAt(to, this.seqPosition(to, this.itemSeq[item]!), item, vector);
    this.itemList[item] = to;
    this.dirtyItems.add(item);
  }

  /** Where an item with this sequence number belongs in a list (lists are kept in sequence order). */
  private seqPosition(list: number, seq: number): number {
    const items = this.postings.listItems(list);
    let lo = 0;
    let hi = this.postings.listSize(list);
    if (hi === 0 || this.itemSeq[items[hi - 1]!]! < seq) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.itemSeq[items[mid]!]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private largestCluster(): number {
    let largest = 0;
    for (let c = 1; c < this.codebook.k; c += 1) if (this.postings.listSize(c) > this.postings.listSize(largest)) largest = c;
    return largest;
  }

  /** Splits an oversized cluster: into a new centroid, or (at maxClusters) into the smallest one after dissolving it. */
  private split(list: number): void {
    if (this.codebook.k < this.config.maxClusters) {
      this.splitInto(list, this.addCluster(this.codebook.centroids, list * this.dimension));
      return;
    }
    let smallest = list === 0 ? 1 : 0;
    for (let c = 0; c < this.codebook.k; c += 1) {
      if (c !== list && this.postings.listSize(c) < this.postings.listSize(smallest)) smallest = c;
    }
    if (this.postings.listSize(smallest) > this.config.targetClusterSize / 2) return;
    this.dissolve(smallest);
    this.splitInto(list, smallest);
  }

  /** Moves every member of a cluster to its best other centroid, leaving it empty. */
  private dissolve(list: number): void {
    const items = this.postings.listItems(list).slice(0, this.postings.listSize(list));
    const { dimension } = this;
    for (let i = items.length - 1; i >= 0; i -= 1) {
      const item = items[i]!;
      const slot = this.slotOf(list, item);
      const to = this.assign(this.postings.listVectors(list).subarray(slot * dimension, (slot + 1) * dimension), list);
      this.moveItem(item, list, to);
    }
  }

  /**
   * Balanced 2-means of `from`'s members: half stay, half go to the empty
   * cluster `into`; both centroids are set to their halves' means. Members are
   * split at the median of (score to A − score to B), so the halves are equal.
   */
  private splitInto(from: number, into: number): void {
    const { dimension } = this;
    const size = this.postings.listSize(from);
    const items = this.postings.listItems(from).slice(0, size);
    const vectors = this.postings.listVectors(from).slice(0, size * dimension);
    const a = new Float32Array(dimension);
    const b = new Float32Array(dimension);
    const seedA = this.prng.nextInt(size);
    a.set(vectors.subarray(seedA * dimension, (seedA + 1) * dimension));
    // B starts at the member least like A.
    let seedB = seedA === 0 ? 1 : 0;
    let lowest = Infinity;
    for (let i = 0; i < size; i += 1) {
      const score = dot(a, 0, vectors, i * dimension, dimension);
      if (i !== seedA && score < lowest) {
        lowest = score;
        seedB = i;
      }
    }
    b.set(vectors.subarray(seedB * dimension, (seedB + 1) * dimension));
    const margin = new Float64Array(size);
    const inB = new Uint8Array(size);
    const order = Int32Array.from({ length: size }, (_, i) => i);
    const sumA = new Float64Array(dimension);
    const sumB = new Float64Array(dimension);
    for (let iteration = 0; iteration < Math.max(1, this.config.splitIterations); iteration += 1) {
      for (let i = 0; i < size; i += 1) {
        margin[i] = dot(a, 0, vectors, i * dimension, dimension) - dot(b, 0, vectors, i * dimension, dimension);
      }
      order.sort((x, y) => margin[y]! - margin[x]! || x - y);
      inB.fill(0);
      for (let r = size >> 1; r < size; r += 1) inB[order[r]!] = 1;
      sumA.fill(0);
      sumB.fill(0);
      for (let i = 0; i < size; i += 1) {
        const sum = inB[i] ? sumB : sumA;
        for (let d = 0; d < dimension; d += 1) sum[d]! += vectors[i * dimension + d]!;
      }
      for (let d = 0; d < dimension; d += 1) {
        a[d] = sumA[d]!;
        b[d] = sumB[d]!;
      }
      normalizeInPlace(a);
      normalizeInPlace(b);
    }
    const keepItems: number[] = [];
    const moveItems: number[] = [];
    for (let i = 0; i < size; i += 1) (inB[i] ? moveItems : keepItems).push(i);
    const pack = (rows: number[]) => {
      const packedVectors = new Float32Array(rows.length * dimension);
      rows.forEach((row, r) => packedVectors.set(vectors.subarray(row * dimension, (row + 1) * dimension), r * dimension));
      return { items: Int32Array.from(rows, (row) => items[row]!), vectors: packedVectors };
    };
    const keep = pack(keepItems);
    const move = pack(moveItems);
    this.postings.replaceList(from, keep.items, keep.vectors);
    this.postings.replaceList(into, move.items, move.vectors);
    for (const item of move.items) {
      this.itemList[item] = into;
      this.dirtyItems.add(item);
    }
    this.codebook.set(from, a);
    this.codebook.set(into, b);
    // Pending EMA input no longer matches either half; the centroids are exact means now.
    this.pendingCounts[from] = 0;
    this.pendingCounts[into] = 0;
    this.pendingSums.fill(0, from * dimension, (from + 1) * dimension);
    this.pendingSums.fill(0, into * dimension, (into + 1) * dimension);
    this.drift[from] = 0;
    this.drift[into] = 0;
    // Members of nearby clusters may now be closer to one of the new centroids: queue them for repair.
    this.markNeighboursForRepair(into, from);
    this.markNeighboursForRepair(from, into);
  }

  private markNeighboursForRepair(centroid: number, skip: number): void {
    const k = this.codebook.k;
    const count = Math.min(this.config.repairCandidates, k);
    const scores = new Float32Array(k);
    const near = new Int32Array(count);
    this.codebook.scoreAll(this.codebook.centroids.subarray(centroid * this.dimension, (centroid + 1) * this.dimension), scores);
    const found = selectTop(scores, k, count, near);
    for (let i = 0; i < found; i += 1) {
      const c = near[i]!;
      if (c !== centroid && c !== skip) this.drift[c] = Math.max(this.drift[c]!, this.config.repairMinDrift);
    }
  }

  /** Re-checks every member of a cluster against the centroids nearest it; moves those with a better home. */
  private repairCluster(list: number): { checked: number; moved: number } {
    const { dimension } = this;
    const { balancePenalty, targetClusterSize } = this.config;
    const k = this.codebook.k;
    const count = Math.min(this.config.repairCandidates, k);
    const centroidScores = new Float32Array(k);
    const near = new Int32Array(count);
    const centroids = this.codebook.centroids;
    this.codebook.scoreAll(centroids.subarray(list * dimension, (list + 1) * dimension), centroidScores);
    const found = selectTop(centroidScores, k, count, near);
    const items = this.postings.listItems(list).slice(0, this.postings.listSize(list));
    const limit = this.splitThreshold();
    let moved = 0;
    for (const item of items) {
      const slot = this.slotOf(list, item);
      const vectors = this.postings.listVectors(list);
      const offset = slot * dimension;
      const overHere = (this.postings.listSize(list) - 1) / targetClusterSize - 1;
      const here = dot(vectors, offset, centroids, list * dimension, dimension) - (overHere > 0 ? balancePenalty * overHere : 0);
      let best = list;
      let bestScore = here;
      for (let i = 0; i < found; i += 1) {
        const c = near[i]!;
        if (c === list || this.postings.listSize(c) >= limit) continue;
        const over = this.postings.listSize(c) / targetClusterSize - 1;
        const score = dot(vectors, offset, centroids, c * dimension, dimension) - (over > 0 ? balancePenalty * over : 0);
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
      if (best !== list) {
        this.moveItem(item, list, best);
        moved += 1;
      }
    }
    this.drift[list] = 0;
    return { checked: items.length, moved };
  }

  private entryOf(item: number): StoredEntry {
    const list = this.itemList[item]!;
    const slot = this.slotOf(list, item);
    return {
      id: this.itemIds[item]!,
      list,
      seq: this.itemSeq[item]!,
      vector: this.postings.listVectors(list).slice(slot * this.dimension, (slot + 1) * this.dimension),
    };
  }
}

function sameVector(stored: Float32Array, offset: number, vector: Float32Array, dimension: number): boolean {
  for (let d = 0; d < dimension; d += 1) if (stored[offset + d] !== vector[d]) return false;
  return true;
}

function validateConfig(config: VqIndexConfig): VqIndexConfig {
  const positiveInteger = ['dimension', 'targetClusterSize', 'maxClusters', 'repairCandidates'] as const;
  for (const name of positiveInteger) {
    if (!Number.isInteger(config[name]) || config[name] < 1) throw new InvalidVqParameterError(name, 'a positive integer', config[name]);
  }
  const nonNegativeInteger = ['repairBudget', 'splitIterations'] as const;
  for (const name of nonNegativeInteger) {
    if (!Number.isInteger(config[name]) || config[name] < 0) throw new InvalidVqParameterError(name, 'a non-negative integer', config[name]);
  }
  if (!Number.isInteger(config.seed)) throw new InvalidVqParameterError('seed', 'an integer', config.seed);
  if (!(config.splitFactor >= 1.5)) throw new InvalidVqParameterError('splitFactor', 'a number ≥ 1.5', config.splitFactor);
  if (!(config.balancePenalty >= 0)) throw new InvalidVqParameterError('balancePenalty', 'a number ≥ 0', config.balancePenalty);
  if (!(config.emaMinRate >= 0 && config.emaMinRate <= 1)) throw new InvalidVqParameterError('emaMinRate', 'a number in [0, 1]', config.emaMinRate);
  if (!(config.repairMinDrift >= 0)) throw new InvalidVqParameterError('repairMinDrift', 'a number ≥ 0', config.repairMinDrift);
  return config;
}
