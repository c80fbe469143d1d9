import { BlockScorer, BlockScorers } from './blockScorer.js';
import { ChangeJournal } from './changeJournal.js';
import { ClusterSums } from './clusterSums.js';
import { defaultIndexConfig } from './constants.js';
import { dot, normalizeInPlace } from './dotProducts.js';
import { DimensionMismatchError, InvalidVqParameterError, ListsNotInMemoryError } from './errors.js';
import { ItemTable } from './itemTable.js';
import { ListResidency } from './listResidency.js';
import { probeLists, searchLists } from './listScan.js';
import { MemoryPostings } from './postings.js';
import { createPrng, type Prng } from './prng.js';
import { Codebook, selectTop } from './quantizer.js';
import { resolveSearchParams, type SearchParams } from './searchParams.js';
import { splitInTwo } from './splitCluster.js';
import type { IndexSnapshotState, IndexStats, RepairWork, SearchHit, StoredEntry, UpdateReport, VqIndexConfig } from './types.js';

/** An item table entry besides its id's characters: the map's entry, the id string's header, its sequence number and slot. */
const itemTableEntryBytes = 80;
/** Credit never piles up beyond this many split-sized clusters' worth, so one update's repair stays short. */
const maxCreditClusters = 8;

/**
 * A streaming vector-quantization index (after Douyin's Streaming VQ):
 * items are attached to their nearest centroid the moment they arrive. Each
 * centroid is the exact mean of its members (ClusterSums), recomputed once
 * per update(), so the codebook follows the stream. Repair after SPFresh's
 * LIRE: an oversized cluster is split along its principal direction and the
 * vectors near the new boundary (its own and its neighbours') are
 * re-examined; undersized clusters are merged into their neighbours; and the
 * members of clusters whose centroid moved are re-examined, most moved first,
 * all paid from a credit earned per insert, so repair work per insert is bounded.
 *
 * Composed like faiss's IndexIVF: a Codebook (the level-1 quantizer) and
 * MemoryPostings (inverted lists with codes), plus the item table, the
 * cluster sums and the change journal (the lists a commit rewrites).
 *
 * Built in memory, it holds every list whole. Opened from storage (open()),
 * it starts with none: the codebook, each list's size and member sum and the
 * ids are enough to insert (an append needs no other member), and an
 * operation that needs a list's members (a split, a repair, removing an item)
 * says so first: the *Steps generators yield the lists they need whole, and
 * the writer admits them from storage before resuming. Every order-dependent
 * step takes members by insertion sequence and sums are exact, so the result
 * does not depend on which lists were in memory when.
 */
export class StreamingVqIndex {
  readonly config: VqIndexConfig;
  readonly dimension: number;
  private readonly codebook: Codebook;
  private readonly postings: MemoryPostings;
  private readonly sums: ClusterSums;
  /** Items in memory (the whole index when it was built in memory). */
  private readonly items = new ItemTable();
  private readonly residency = new ListResidency();
  private readonly journal = new ChangeJournal();
  private prng: Prng;
  private nextSeq = 0;
  private repairCredit = 0;
  /** Per centroid: movement (1 − cos) since its last repair. */
  private drift = new Float32Array(16);
  /** Clusters whose members changed since the last update: their centroids are recomputed then. */
  private readonly changedClusters = new Set<number>();
  private pending = { split: 0, merged: 0, checked: 0, moved: 0 };
  private readonly work: RepairWork = { inserts: 0, examined: 0, moved: 0 };
  private readonly unit: Float32Array;
  private centroidScores = new Float32Array(16);
  /** Split members and repair candidates, scored in the SIMD kernel. */
  private readonly scorers = new BlockScorers();
  private readonly blockScorer: BlockScorer;
  /** A search's re-rank candidates (scratch only: a search changes nothing the index reports). */
  private readonly rerankScorer: BlockScorer;

  private constructor(config: VqIndexConfig) {
    this.config = config;
    this.dimension = config.dimension;
    this.codebook = new Codebook(config.dimension);
    this.postings = new MemoryPostings(config.dimension);
    this.sums = new ClusterSums(config.dimension);
    this.prng = createPrng(config.seed);
    this.unit = new Float32Array(config.dimension);
    this.blockScorer = this.scorers.forRowLength(config.dimension);
    this.rerankScorer = new BlockScorer(config.dimension);
  }

  static create(config: Partial<VqIndexConfig> & { dimension: number }): StreamingVqIndex {
    return new StreamingVqIndex(resolveIndexConfig(config));
  }

  /** Rebuilds an index from stored state and entries (any order); see indexShardReader.ts. */
  static restore(state: IndexSnapshotState, entries: Iterable<StoredEntry>): StreamingVqIndex {
    const index = new StreamingVqIndex(resolveIndexConfig(state.config));
    const { dimension } = index;
    if (state.config.dimension !== dimension) throw new DimensionMismatchError(dimension, state.config.dimension);
    for (let c = 0; c < state.k; c += 1) index.addCluster(state.centroids, c * dimension);
    index.drift.set(state.drift.subarray(0, state.k));
    index.prng = createPrng(state.prngState);
    index.nextSeq = state.nextSeq;
    index.repairCredit = state.repairCredit;
    index.restoreEntries(entries);
    return index;
  }

  /**
   * Adds stored entries to their recorded lists, as restore() does: a loader may hand them
   * over list by list as it reads them, so no copy of the whole shard is held at once.
   * They are what is stored, so they are not changes.
   */
  restoreEntries(entries: Iterable<StoredEntry>): void {
    const { dimension } = this;
    for (const entry of entries) {
      if (entry.vector.length !== dimension) throw new DimensionMismatchError(dimension, entry.vector.length);
      if (entry.list < 0 || entry.list >= this.codebook.k)
        throw new InvalidVqParameterError('list', `a centroid number below ${this.codebook.k}`, entry.list);
      const existing = this.items.numberOf(entry.id);
      if (existing !== undefined) this.removeItem(existing);
      this.addItem(entry.id, entry.seq, entry.list, entry.vector);
    }
    this.changedClusters.clear();
    this.journal.clear();
  }

  /**
   * An index of stored lists, none of them in memory: the writer's cold start
   * reads the codebook, and each list's live ids and member sum, never the vectors.
   */
  static open(state: IndexSnapshotState, lists: readonly { ids: readonly string[]; sum: Float64Array }[]): StreamingVqIndex {
    const index = StreamingVqIndex.restore(state, []);
    lists.forEach(({ ids, sum }, list) => {
      index.sums.setSum(list, sum);
      if (ids.length > 0) index.residency.markAbsent(list, ids);
    });
    return index;
  }

  /** True when every stored entry of the list is in memory. */
  isWhole(list: number): boolean {
    return this.residency.isWhole(list);
  }

  /**
   * Makes a list whole: its stored live entries (as read from storage) join
   * the entries it already has in memory (added since). Not changes.
   */
  admit(list: number, stored: readonly Omit<StoredEntry, 'list'>[]): void {
    const absent = this.residency.absentCount(list);
    if (stored.length !== absent)
      throw new InvalidVqParameterError(`entries of list ${list}`, `the ${absent} stored and not in memory`, stored.length);
    for (const entry of stored) {
      this.checkDimension(entry.vector);
      this.postings.append(list, this.items.allocate(entry.id, entry.seq), entry.vector);
    }
    this.residency.markWhole(
      list,
      stored.map((entry) => entry.id),
    );
  }

  /**
   * Gives back the memory of a list's entries, every one of which must be
   * stored (the writer evicts after a commit); its ids and sum stay known, and
   * an operation that needs its members asks for the list again.
   */
  evict(list: number): void {
    const ids = this.postings.release(list).map((item) => {
      const id = this.items.idOf(item);
      this.items.release(item);
      return id;
    });
    this.residency.markAbsent(list, ids);
  }

  /** A copy of a list's member sum (fixed point), as a blob stores it. */
  listSum(list: number): Float64Array {
    return this.sums.sumOf(list);
  }

  get size(): number {
    return this.items.size + this.residency.absentItems;
  }

  get clusterCount(): number {
    return this.codebook.k;
  }

  has(id: string): boolean {
    return this.items.numberOf(id) !== undefined || this.residency.listOf(id) !== undefined;
  }

  /** A copy of the stored unit vector of an item in memory, or undefined. */
  vectorOf(id: string): Float32Array | undefined {
    const item = this.items.numberOf(id);
    return item === undefined ? undefined : this.postings.vectorOf(item).slice();
  }

  /**
   * Inserts (or replaces) an item; it is searchable on return. The vector is
   * L2-normalised on the way in. Re-inserting the same vector is a no-op
   * (returns false), so a re-delivered message changes nothing.
   */
  insert(id: string, vector: Float32Array): boolean {
    return inMemory(this.insertSteps(id, vector));
  }

  /** Removes an item; returns false if it was not there. Storage keeps a tombstone until compaction. */
  delete(id: string): boolean {
    return inMemory(this.deleteSteps(id));
  }

  /** insert(), yielding first the lists it needs whole (the existing item's list; a list it splits and its neighbours). */
  *insertSteps(id: string, vector: Float32Array): Steps<boolean> {
    this.checkDimension(vector);
    yield* this.whole(this.listOfAbsent(id));
    const unit = this.unit;
    unit.set(vector);
    normalizeInPlace(unit);
    const existing = this.items.numberOf(id);
    if (existing !== undefined) {
      if (sameVector(this.postings.vectorOf(existing), unit)) return false;
      this.removeItem(existing);
    }
    if (this.codebook.k === 0) this.addCluster(unit, 0);
    const list = yield* this.seedFor(unit, this.nearestCluster(unit, -1));
    this.addItem(id, this.nextSeq, list, unit);
    this.nextSeq += 1;
    this.work.inserts += 1;
    this.repairCredit = Math.min(this.repairCredit + this.config.repairPerInsert, this.creditCeiling());
    if (this.sizeOf(list) > this.splitThreshold()) yield* this.split(list);
    return true;
  }

  /** delete(), yielding first the item's list when it is not in memory. */
  *deleteSteps(id: string): Steps<boolean> {
    yield* this.whole(this.listOfAbsent(id));
    const item = this.items.numberOf(id);
    if (item === undefined) return false;
    this.removeItem(item);
    return true;
  }

  /**
   * Scores all centroids, scans the codes of the best nprobe lists, re-ranks
   * the best `rerank` candidates exactly and returns the top k, best first.
   * Reads only: the index is not changed.
   */
  search(query: Float32Array, params: Partial<SearchParams> = {}): SearchHit[] {
    this.checkDimension(query);
    const resolved = resolveSearchParams(params);
    if (this.residency.absentItems > 0) throw new ListsNotInMemoryError([]);
    if (this.codebook.k === 0) return [];
    return searchLists(this.codebook, this.postings, query, resolved, this.rerankScorer)
      .map(({ item, score }) => ({ id: this.items.idOf(item), score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The lists a search with this nprobe would scan, best first, and how many vectors they hold. */
  probedLists(query: Float32Array, nprobe: number): { lists: number[]; vectors: number } {
    this.checkDimension(query);
    const lists = Array.from(probeLists(this.codebook, { listSize: (list) => this.sizeOf(list) }, query, nprobe));
    return { lists, vectors: lists.reduce((sum, list) => sum + this.sizeOf(list), 0) };
  }

  /**
   * One codebook update: each changed cluster's centroid becomes its members'
   * mean; undersized clusters are merged into their neighbours; then the
   * members of the most-moved clusters are re-examined while credit lasts.
   */
  update(): UpdateReport {
    return inMemory(this.updateSteps());
  }

  /** update(), yielding the lists it needs whole: the undersized ones, then the drifted ones it will repair. */
  *updateSteps(): Steps<UpdateReport> {
    const report: UpdateReport = {
      centroidsUpdated: this.recomputeCentroids(),
      clustersSplit: this.pending.split,
      clustersMerged: 0,
      clustersRepaired: 0,
      itemsChecked: 0,
      itemsMoved: 0,
    };
    const mergeBelow = this.config.mergeFraction * this.config.targetClusterSize;
    const undersized = (c: number) => this.sizeOf(c) > 0 && this.sizeOf(c) < mergeBelow;
    // Whether one is young depends on its members' ages: fetch them together.
    yield* this.whole(Array.from({ length: this.codebook.k }, (_, c) => c).filter(undersized));
    let used = this.nonEmptyClusters();
    for (let c = 0; c < this.codebook.k && used > 1; c += 1) {
      if (!undersized(c) || this.isYoung(c)) continue;
      if (!(yield* this.reexamine(c, this.nearestCentroids(c), true))) continue;
      this.pending.merged += 1;
      used -= 1;
    }
    report.centroidsUpdated += this.recomputeCentroids();

    const drifted = [];
    for (let c = 0; c < this.codebook.k; c += 1) if (this.drift[c]! >= this.config.repairMinDrift && this.sizeOf(c) > 0) drifted.push(c);
    drifted.sort((a, b) => this.drift[b]! - this.drift[a]! || a - b);
    yield* this.whole(this.affordable(drifted));
    for (const c of drifted) {
      if (this.repairCredit <= 0) break;
      yield* this.reexamine(c, this.nearestCentroids(c), false);
      this.drift[c] = 0;
      // Its page stores the drift, so the page is rewritten even when no member moved.
      this.journal.touch(c);
      report.clustersRepaired += 1;
    }
    report.centroidsUpdated += this.recomputeCentroids();
    report.clustersMerged = this.pending.merged;
    report.itemsChecked = this.pending.checked;
    report.itemsMoved = this.pending.moved;
    this.pending = { split: 0, merged: 0, checked: 0, moved: 0 };
    return report;
  }

  stats(): IndexStats {
    const clusters = this.codebook.k;
    let sumSquares = 0;
    let largest = 0;
    let empty = 0;
    for (let c = 0; c < clusters; c += 1) {
      const n = this.sizeOf(c);
      sumSquares += n * n;
      largest = Math.max(largest, n);
      if (n === 0) empty += 1;
    }
    const n = this.size;
    const used = clusters - empty;
    return {
      items: n,
      clusters,
      emptyClusters: empty,
      imbalanceFactor: n === 0 ? 1 : (used * sumSquares) / (n * n),
      maxClusterOverMean: n === 0 ? 1 : largest / (n / used),
    };
  }

  /** Cluster sizes, by centroid number. */
  clusterSizes(): Int32Array {
    return Int32Array.from({ length: this.codebook.k }, (_, c) => this.sizeOf(c));
  }

  /** Inserts, vectors re-examined and moved since this object was made (repair cost per insert = examined / inserts). */
  repairWork(): RepairWork {
    return { ...this.work };
  }

  /**
   * Bytes of the built structure: lists in memory (vectors, codes, items, the codes' SIMD copy), codebook, cluster
   * sums, item table and the ids of items not in memory.
   */
  memoryBytes(): number {
    return (
      this.postings.memoryBytes() +
      this.codebook.memoryBytes() +
      this.sums.memoryBytes() +
      this.items.memoryBytes() +
      this.residency.memoryBytes() +
      this.drift.byteLength
    );
  }

  /** The lists changed since the last call (what a commit rewrites), ascending, and clears the journal. */
  takeChangedLists(): number[] {
    return this.journal.take();
  }

  /** Every list counts as changed (a shard migrated from another layout is written whole). */
  markAllListsChanged(): void {
    for (let list = 0; list < this.codebook.k; list += 1) this.journal.touch(list);
  }

  /** True when there are changes takeChangedLists() would return. */
  get hasChanges(): boolean {
    return this.journal.hasChanges;
  }

  /** The state a reload needs besides the entries (copies). Canonical right after update(). */
  snapshotState(): IndexSnapshotState {
    const k = this.codebook.k;
    return {
      config: { ...this.config },
      centroids: this.codebook.centroids.slice(0, k * this.dimension),
      k,
      drift: this.drift.slice(0, k),
      prngState: this.prng.state,
      nextSeq: this.nextSeq,
      repairCredit: this.repairCredit,
    };
  }

  /** Every live entry in memory, list by list, each list in insertion order. */
  *entries(): IterableIterator<StoredEntry> {
    for (let list = 0; list < this.codebook.k; list += 1) yield* this.listEntries(list);
  }

  /**
   * The entries of one list that are in memory (all of them when it is whole), in insertion order (vectors are
   * copies); `keep` chooses by insertion sequence before anything is copied.
   */
  listEntries(list: number, keep?: (seq: number) => boolean): StoredEntry[] {
    const items = this.items.bySeq(this.postings.listItems(list), this.postings.listSize(list));
    return (keep ? items.filter((item) => keep(this.items.seqOf(item))) : items).map((item) => this.entryOf(item));
  }

  /** The insertion sequence and id of each entry of a list in memory, in insertion order (no vectors). */
  listMembers(list: number): { seq: number; id: string }[] {
    return this.items
      .bySeq(this.postings.listItems(list), this.postings.listSize(list))
      .map((item) => ({ seq: this.items.seqOf(item), id: this.items.idOf(item) }));
  }

  /** Entries of a list in memory (all of its live entries when it is whole). */
  inMemoryCount(list: number): number {
    return this.postings.listSize(list);
  }

  /** Bytes a list's entries in memory hold: its arrays' capacity, and each entry's id and sequence in the item table. */
  listMemoryBytes(list: number): number {
    let ids = 0;
    const items = this.postings.listItems(list);
    for (let i = 0; i < this.postings.listSize(list); i += 1) ids += 2 * this.items.idOf(items[i]!).length + itemTableEntryBytes;
    return this.postings.listBytes(list) + ids;
  }

  /** The list of an item whose list is not in memory (what an upsert or delete of it will need), or undefined. */
  absentListOf(id: string): number | undefined {
    return this.residency.listOf(id);
  }

  // ---- internals -------------------------------------------------------

  /** Live entries of a list, in memory or not. */
  private sizeOf(list: number): number {
    return this.postings.listSize(list) + this.residency.absentCount(list);
  }

  /** The list of an item not in memory, as a need: [list], or [] when it is in memory or absent. */
  private listOfAbsent(id: string): number[] {
    const list = this.absentListOf(id);
    return list === undefined ? [] : [list];
  }

  /** Yields the lists not yet whole (the caller admits them), then checks they are. */
  private *whole(lists: readonly number[]): Steps<void> {
    const missing = lists.filter((list) => !this.residency.isWhole(list));
    if (missing.length === 0) return;
    yield missing;
    const still = missing.filter((list) => !this.residency.isWhole(list));
    if (still.length > 0) throw new ListsNotInMemoryError(still);
  }

  /** The first of these lists that the repair credit will pay for, re-examined in this order. */
  private affordable(lists: readonly number[]): number[] {
    let credit = this.repairCredit;
    const paid = [];
    for (const list of lists) {
      if (credit <= 0) break;
      paid.push(list);
      credit -= this.sizeOf(list);
    }
    return paid;
  }

  private checkDimension(vector: Float32Array): void {
    if (vector.length !== this.dimension) throw new DimensionMismatchError(this.dimension, vector.length);
  }

  private splitThreshold(): number {
    return this.config.splitFactor * this.config.targetClusterSize;
  }

  /** A cluster whose oldest member arrived within the last split size of inserts may still be gathering its region. */
  private isYoung(c: number): boolean {
    if (this.config.seedDistanceFactor <= 0) return false;
    const items = this.postings.listItems(c);
    let oldest = Infinity;
    for (let i = 0; i < this.postings.listSize(c); i += 1) oldest = Math.min(oldest, this.items.seqOf(items[i]!));
    return this.nextSeq - oldest < this.splitThreshold();
  }

  private creditCeiling(): number {
    return maxCreditClusters * this.splitThreshold();
  }

  private nonEmptyClusters(): number {
    let used = 0;
    for (let c = 0; c < this.codebook.k; c += 1) if (this.sizeOf(c) > 0) used += 1;
    return used;
  }

  /** A cluster's score for a vector after the balance discount; `joining` counts the vector as a new member. */
  private balanced(cluster: number, score: number, joining: boolean): number {
    const over = (this.sizeOf(cluster) - (joining ? 0 : 1)) / this.config.targetClusterSize - 1;
    return over > 0 ? score - this.config.balancePenalty * over : score;
  }

  /** The best non-empty centroid (any centroid while all are empty) for a vector with the balance discount, never `exclude`. */
  private nearestCluster(vector: Float32Array, exclude: number): number {
    const k = this.codebook.k;
    if (this.centroidScores.length < k) this.centroidScores = new Float32Array(this.codebook.centroids.length / this.dimension);
    const scores = this.centroidScores;
    this.codebook.scoreAll(vector, scores);
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < k; c += 1) {
      if (c === exclude || (this.sizeOf(c) === 0 && this.size > 0)) continue;
      const score = this.balanced(c, scores[c]!, true);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return Math.max(best, 0);
  }

  /**
   * Online facility location: a vector far outside its nearest cluster (by
   * seedDistanceFactor × the members' mean distance) starts a centroid of its
   * own, so the next arrivals from that new region gather there instead of
   * being spread over the old clusters near it.
   */
  private *seedFor(unit: Float32Array, nearest: number): Steps<number> {
    const factor = this.config.seedDistanceFactor;
    const size = this.sizeOf(nearest);
    // Only a cluster a quarter full or more sheds a far point: its spread is measured, and seeds next to
    // smaller clusters fragmented the lists (imbalance 2.8 on the drift runbooks; a full-size minimum cost 1 point of recall there).
    if (factor <= 0 || size < this.config.targetClusterSize / 4) return nearest;
    const distance = 1 - this.centroidScores[nearest]!;
    const spread = Math.max(1 - this.sums.meanCosine(nearest, size), 1e-6);
    if (distance <= factor * spread) return nearest;
    const seeded = yield* this.freeCluster(nearest);
    if (seeded < 0) return nearest;
    this.codebook.set(seeded, unit);
    this.drift[seeded] = 0;
    return seeded;
  }

  /** The repairCandidates non-empty centroids nearest to centroid c, not c itself. */
  private nearestCentroids(c: number): number[] {
    const k = this.codebook.k;
    const scores = new Float32Array(k);
    this.codebook.scoreAll(this.codebook.centroids.subarray(c * this.dimension, (c + 1) * this.dimension), scores);
    for (let o = 0; o < k; o += 1) if (o === c || this.sizeOf(o) === 0) scores[o] = -Infinity;
    const near = new Int32Array(Math.min(this.config.repairCandidates, k));
    const found = selectTop(scores, k, near.length, near);
    return Array.from(near.subarray(0, found)).filter((o) => scores[o]! > -Infinity);
  }

  private addCluster(centroid: Float32Array, offset: number): number {
    const c = this.codebook.add(centroid, offset);
    this.postings.addList();
    const capacity = this.codebook.centroids.length / this.dimension;
    if (this.drift.length < capacity) {
      const drift = new Float32Array(capacity);
      drift.set(this.drift);
      this.drift = drift;
    }
    return c;
  }

  private addItem(id: string, seq: number, list: number, vector: Float32Array): number {
    const item = this.items.allocate(id, seq);
    this.postings.append(list, item, vector);
    this.sums.add(list, vector);
    this.changedClusters.add(list);
    this.journal.touch(list);
    return item;
  }

  private removeItem(item: number): void {
    const list = this.postings.listOf(item);
    this.sums.remove(list, this.postings.vectorOf(item));
    this.postings.remove(item);
    this.changedClusters.add(list);
    this.journal.touch(list);
    this.items.release(item);
  }

  private moveItem(item: number, to: number): void {
    const from = this.postings.listOf(item);
    this.sums.move(from, to, this.postings.vectorOf(item));
    this.postings.move(item, to);
    this.changedClusters.add(from);
    this.changedClusters.add(to);
    this.journal.touch(from);
    this.journal.touch(to);
  }

  /** Sets each changed cluster's centroid to its members' mean and adds how far it moved to its drift. */
  private recomputeCentroids(): number {
    const { dimension } = this;
    const centroids = this.codebook.centroids;
    const previous = new Float32Array(dimension);
    let updated = 0;
    for (const c of [...this.changedClusters].sort((a, b) => a - b)) {
      if (this.sizeOf(c) === 0) continue;
      previous.set(centroids.subarray(c * dimension, (c + 1) * dimension));
      if (!this.sums.centroidInto(c, centroids, c * dimension)) continue;
      this.codebook.changed(c);
      this.drift[c]! += Math.max(0, 1 - dot(previous, 0, centroids, c * dimension, dimension));
      updated += 1;
    }
    this.changedClusters.clear();
    return updated;
  }

  /**
   * Re-examines every member of cluster c (in insertion order) against c and
   * `candidates` by the balance-discounted score, moving those with a better
   * home; `leave` makes c itself no option (a merge), though a member no
   * option can take (each is full) stays. Paid from the credit. True when c
   * is left empty.
   */
  private *reexamine(c: number, candidates: readonly number[], leave: boolean): Steps<boolean> {
    yield* this.whole([c]);
    const { dimension } = this;
    const options = [c, ...candidates.filter((o) => o !== c)];
    if (options.length === 1 && leave) return false;
    const block = new Float32Array(options.length * dimension);
    options.forEach((o, i) => block.set(this.codebook.centroids.subarray(o * dimension, (o + 1) * dimension), i * dimension));
    this.blockScorer.load(block, options.length);
    const scores = new Float32Array(options.length);
    const members = this.items.bySeq(this.postings.listItems(c), this.postings.listSize(c));
    const limit = this.splitThreshold();
    for (const item of members) {
      this.blockScorer.score(this.postings.vectorOf(item), scores);
      let best = leave ? -1 : c;
      let bestScore = leave ? -Infinity : this.balanced(c, scores[0]!, false);
      for (let i = 1; i < options.length; i += 1) {
        // A full cluster takes no one: only an insert may grow a cluster past the split size (and split it).
        if (this.sizeOf(options[i]!) >= limit) continue;
        const score = this.balanced(options[i]!, scores[i]!, true);
        if (score > bestScore) {
          bestScore = score;
          best = options[i]!;
        }
      }
      if (best >= 0 && best !== c) {
        this.moveItem(item, best);
        this.pending.moved += 1;
        this.work.moved += 1;
      }
    }
    this.pending.checked += members.length;
    this.work.examined += members.length;
    this.repairCredit -= members.length;
    return this.sizeOf(c) === 0;
  }

  /**
   * Splits an oversized cluster along its principal direction into a free
   * centroid (an empty one, a new one, or at maxClusters the smallest after
   * dissolving it), then re-examines the boundary (LIRE): the two halves'
   * members against their nearest centroids, and the members of the nearest
   * splitNeighbours clusters against the two new centroids.
   */
  private *split(list: number): Steps<void> {
    // Its members, and (most likely) the neighbours whose members are re-examined after the cut, together.
    yield* this.whole([list, ...this.nearestCentroids(list).slice(0, this.config.splitNeighbours + 1)]);
    const into = yield* this.freeCluster(list);
    if (into < 0) return;
    const { dimension } = this;
    const members = this.items.bySeq(this.postings.listItems(list), this.postings.listSize(list));
    this.postings.reserve(into, members.length);
    const rows = new Float32Array(members.length * dimension);
    members.forEach((item, i) => rows.set(this.postings.vectorOf(item), i * dimension));
    const inB = splitInTwo(rows, members.length, dimension, this.prng, this.config.splitIterations, this.scorers);
    members.forEach((item, i) => {
      if (inB[i]) this.moveItem(item, into);
    });
    this.sums.centroidInto(list, this.codebook.centroids, list * dimension);
    this.sums.centroidInto(into, this.codebook.centroids, into * dimension);
    this.codebook.changed(list);
    this.codebook.changed(into);
    this.drift[list] = 0;
    this.drift[into] = 0;
    this.pending.split += 1;

    const near = this.nearestCentroids(list).filter((c) => c !== into);
    const candidates = [list, into, ...near];
    // The halves' own members always (the cut is only as good as this), the neighbours' while credit lasts.
    yield* this.reexamine(list, candidates, false);
    yield* this.reexamine(into, candidates, false);
    for (const neighbour of near.slice(0, this.config.splitNeighbours)) {
      if (this.repairCredit <= 0) break;
      yield* this.reexamine(neighbour, [neighbour, list, into], false);
    }
  }

  /** A centroid to split into, or -1 when none may be had (at maxClusters with no small cluster to give up). */
  private *freeCluster(splitting: number): Steps<number> {
    for (let c = 0; c < this.codebook.k; c += 1) if (c !== splitting && this.sizeOf(c) === 0) return c;
    if (this.codebook.k < this.config.maxClusters) return this.addCluster(this.codebook.centroids, splitting * this.dimension);
    let smallest = -1;
    for (let c = 0; c < this.codebook.k; c += 1) {
      if (c !== splitting && (smallest < 0 || this.sizeOf(c) < this.sizeOf(smallest))) smallest = c;
    }
    if (smallest < 0 || this.sizeOf(smallest) > this.config.targetClusterSize / 2) return -1;
    if (!(yield* this.reexamine(smallest, this.nearestCentroids(smallest), true))) return -1;
    this.pending.merged += 1;
    return smallest;
  }

  private entryOf(item: number): StoredEntry {
    return {
      id: this.items.idOf(item),
      list: this.postings.listOf(item),
      seq: this.items.seqOf(item),
      vector: this.postings.vectorOf(item).slice(),
    };
  }
}

/** The lists an operation needs whole in memory before it goes on (best fetched together). */
type ListsNeeded = readonly number[];
/** An operation that may pause for lists (see StreamingVqIndex.open). */
export type Steps<T> = Generator<ListsNeeded, T, void>;

/** Runs an operation on an index that has what it needs in memory (one built in memory has every list). */
function inMemory<T>(steps: Steps<T>): T {
  const step = steps.next();
  if (!step.done) throw new ListsNotInMemoryError(step.value);
  return step.value;
}

function sameVector(stored: Float32Array, vector: Float32Array): boolean {
  for (let d = 0; d < vector.length; d += 1) if (stored[d] !== vector[d]) return false;
  return true;
}

const configKeys = ['dimension', ...(Object.keys(defaultIndexConfig) as (keyof typeof defaultIndexConfig)[])] as const;

/**
 * Today's defaults under the given values, restricted to today's keys (a
 * manifest written by an earlier version may lack new keys or carry retired
 * ones), then checked.
 */
function resolveIndexConfig(given: Partial<VqIndexConfig> & { dimension: number }): VqIndexConfig {
  const merged = { ...defaultIndexConfig, ...given };
  const config = Object.fromEntries(configKeys.map((key) => [key, merged[key]])) as unknown as VqIndexConfig;
  const positiveInteger = ['dimension', 'targetClusterSize', 'maxClusters', 'repairCandidates'] as const;
  for (const name of positiveInteger) {
    if (!Number.isInteger(config[name]) || config[name] < 1) throw new InvalidVqParameterError(name, 'a positive integer', config[name]);
  }
  const nonNegativeInteger = ['splitIterations', 'splitNeighbours'] as const;
  for (const name of nonNegativeInteger) {
    if (!Number.isInteger(config[name]) || config[name] < 0)
      throw new InvalidVqParameterError(name, 'a non-negative integer', config[name]);
  }
  if (!Number.isInteger(config.seed)) throw new InvalidVqParameterError('seed', 'an integer', config.seed);
  if (!(config.splitFactor >= 1.5)) throw new InvalidVqParameterError('splitFactor', 'a number ≥ 1.5', config.splitFactor);
  if (!(config.balancePenalty >= 0)) throw new InvalidVqParameterError('balancePenalty', 'a number ≥ 0', config.balancePenalty);
  if (!(config.repairPerInsert >= 0)) throw new InvalidVqParameterError('repairPerInsert', 'a number ≥ 0', config.repairPerInsert);
  if (!(config.repairMinDrift >= 0)) throw new InvalidVqParameterError('repairMinDrift', 'a number ≥ 0', config.repairMinDrift);
  if (!(config.mergeFraction >= 0 && config.mergeFraction < 0.5))
    throw new InvalidVqParameterError('mergeFraction', 'a number in [0, 0.5)', config.mergeFraction);
  if (!(config.seedDistanceFactor >= 0)) throw new InvalidVqParameterError('seedDistanceFactor', 'a number ≥ 0', config.seedDistanceFactor);
  return config;
}
