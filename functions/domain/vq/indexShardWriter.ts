import pLimit from 'p-limit';
import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion } from './constants.js';
import { CommitConflictError, EmbedderMismatchError, PreconditionFailedError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { serializeIndexManifest, type IndexManifest, type PageRef } from './indexManifest.js';
import type { IndexStorage } from './indexStorage.js';
import {
  encodeList,
  encodePage,
  liveCount,
  storedBlobs,
  type BlobRef,
  type EncodedList,
  type ListEntry,
  type ListRef,
} from './listCodec.js';
import { compactEverything, planCompaction } from './compactionPlan.js';
import { chooseRewrite, type ListRewrite } from './listRewrite.js';
import { PackBuilder, type BuiltPack } from './packBuilder.js';
import type { EmbedderRef, UpdateReport, VqIndexConfig } from './types.js';
import { StreamingVqIndex, type Steps } from './vectorIndex.js';
import { admitLists, emptyWriterShard, openShardForWriting, readDeltasToMerge, type WriterShard } from './writerShard.js';

export type IndexOperation = { op: 'upsert'; id: string; vector: Float32Array } | { op: 'delete'; id: string };

/** The storage settings of pipelineConfig.vq.storage, as numbers (a test or bench may set its own). */
export type StorageLimits = Numbers<typeof pipelineConfig.vq.storage>;
type Numbers<T> = { [K in keyof T]: T[K] extends number ? number : Numbers<T[K]> };

export interface IndexShardWriterOptions {
  shard: string;
  /** Used when the shard does not exist yet; afterwards the stored config wins. */
  config: Partial<VqIndexConfig> & { dimension: number };
  embedder?: EmbedderRef;
  limits?: Partial<StorageLimits>;
}

export interface CommitResult {
  /** False when the operations changed nothing (e.g. a re-delivered batch). */
  changed: boolean;
  generation: number;
  /** Read-modify-write attempts it took (1 without contention). */
  attempts: number;
  /** Objects written by the commit, manifest included (0 when nothing changed). */
  objectsWritten: number;
  update?: UpdateReport;
  manifest?: IndexManifest;
}

const binaryType = 'application/octet-stream';
const emptyList: ListRef = { key: '', count: 0, scanBytes: 0, bytes: 0 };
/** What the writer's record of a list held whole costs per entry: two map entries (live and base), insertion sequence → id. */
const membersEntryBytes = 2 * 48;

/**
 * The one writer of a shard. It holds the codebook, each list's size and
 * member sum and every id, and only the lists it needs whole (a split, a
 * repair, a removal, a fold), within writerListBytes, least recently used
 * given up first: its memory does not grow with the shard's vectors.
 *
 * A commit applies a batch (reading the lists the batch needs, together
 * where it can), runs a codebook update, and packs what changed into one new
 * pack: for each changed list a delta of this commit's change after its
 * earlier deltas, the deltas merged once the chain passes maxDeltas, or the
 * whole list again once its deltas outgrow a fraction of it; the codebook
 * pages that own those lists; and the live contents of mostly-dead packs
 * (compaction). Then the manifest, with If-Match on the ETag it read
 * (If-None-Match for the first). A lost race deletes its packs, reopens and
 * re-applies the batch; nothing stored is ever overwritten.
 */
export class IndexShardWriter {
  private cached: WriterShard | undefined;
  /** Lists held whole, least recently used first (what is given up when memory runs over). */
  private recency = new Map<number, true>();
  /** Objects a commit wrote before it lost the manifest race: deleted once the winner's state is loaded, unless it names them. */
  private unnamed: string[] = [];
  private readonly limits: StorageLimits;

  constructor(
    private readonly storage: IndexStorage,
    private readonly options: IndexShardWriterOptions,
  ) {
    this.limits = { ...pipelineConfig.vq.storage, ...options.limits };
  }

  /** The shard as last committed or opened by this writer (for tests and the bench). */
  get current(): WriterShard | undefined {
    return this.cached;
  }

  /**
   * Applies the operations as one commit. `updateEvery` runs a codebook update
   * after every that many operations as well (a bulk load behaves like the
   * indexer's stream of small batches while still committing once).
   */
  async apply(operations: readonly IndexOperation[], options: { updateEvery?: number } = {}): Promise<CommitResult> {
    const { shard } = this.options;
    const { fetchConcurrency } = this.limits;
    for (let attempt = 1; attempt <= this.limits.commitAttempts; attempt += 1) {
      // The shard's one writer trusts what it last committed: the manifest's If-Match catches any other writer.
      const trusted = attempt === 1 ? this.cached : undefined;
      const opened = trusted ?? (await openShardForWriting(this.storage, shard, fetchConcurrency, this.cached));
      if (this.unnamed.length > 0) await this.deleteUnnamed(opened);
      if (opened?.manifest) this.checkEmbedder(opened.manifest.embedder);
      const state = opened ?? emptyWriterShard(StreamingVqIndex.create(this.options.config));
      if (state !== this.cached) this.recency = new Map();
      try {
        const result = await this.applyOnce(state, operations, options, attempt, state === trusted);
        if (result === 'stale') {
          this.cached = undefined;
          attempt -= 1;
          continue;
        }
        this.cached = state;
        return result;
      } catch (error) {
        // The index may hold part of the batch (a read or write failed, a lost race): drop it, start from what is stored.
        this.cached = undefined;
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
    throw new CommitConflictError(indexKeys.manifest(shard), this.limits.commitAttempts);
  }

  /** One attempt: the batch applied to `state` and committed; 'stale' when nothing changed but the trusted state was not the stored one. */
  private async applyOnce(
    state: WriterShard,
    operations: readonly IndexOperation[],
    options: { updateEvery?: number },
    attempt: number,
    trusted: boolean,
  ): Promise<CommitResult | 'stale'> {
    const { index } = state;
    // The lists of the items this batch replaces or deletes, read together rather than one by one.
    await this.admit(
      state,
      operations.flatMap(({ id }) => index.absentListOf(id) ?? []),
    );
    for (const [i, operation] of operations.entries()) {
      await this.drive(
        state,
        operation.op === 'upsert' ? index.insertSteps(operation.id, operation.vector) : index.deleteSteps(operation.id),
      );
      if (options.updateEvery && (i + 1) % options.updateEvery === 0) await this.drive(state, index.updateSteps());
    }
    if (!index.hasChanges) {
      // "Nothing to do" is only as good as the state it was judged on: confirm it is still the stored one.
      const stale =
        trusted &&
        state.etag &&
        (await openShardForWriting(this.storage, this.options.shard, this.limits.fetchConcurrency, state)) !== state;
      if (stale) return 'stale';
      return {
        changed: false,
        generation: state.manifest?.generation ?? 0,
        attempts: attempt,
        objectsWritten: 0,
        manifest: state.manifest,
      };
    }
    const update = await this.drive(state, index.updateSteps());
    const objectsWritten = await this.commit(state);
    return { changed: true, generation: state.manifest!.generation, attempts: attempt, objectsWritten, update, manifest: state.manifest };
  }

  /** Runs an index operation, reading the lists it asks for whenever it pauses for them. */
  private async drive<T>(state: WriterShard, steps: Steps<T>): Promise<T> {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      await this.admit(state, step.value);
    }
  }

  private async admit(state: WriterShard, lists: readonly number[]): Promise<void> {
    await admitLists(this.storage, state, lists, this.limits.fetchConcurrency);
    for (const list of lists) this.used(list);
  }

  /** Writes what changed since the last commit, then the manifest; returns the objects written. Updates `state` to what it stored. */
  private async commit(state: WriterShard): Promise<number> {
    const { shard } = this.options;
    const { index } = state;
    const previous = state.manifest;
    const generation = (previous?.generation ?? 0) + 1;
    const snapshot = index.snapshotState();
    const { dimension } = index;
    const lists = Array.from({ length: snapshot.k }, (_, list) => state.lists[list] ?? emptyList);
    const perPage = previous?.pages.length ? previous.listsPerPage : this.limits.listsPerPage;
    // A shard opened from an older layout is written whole; otherwise compaction names what it rewrites.
    const compacted = state.migrating
      ? compactEverything(previous!, lists.length)
      : planCompaction(previous, lists, this.limits.compaction);
    const changed = [...new Set([...index.takeChangedLists(), ...compacted.lists.keys()])]
      .filter((list) => list < snapshot.k)
      .sort((a, b) => a - b);
    const sizes = index.clusterSizes();

    // What each changed list needs is decided from counts; then the lists a merge or fold rewrites are read, together.
    const plans = changed.map((list) => {
      const { added, masked } = this.changeOf(state, list);
      // A list held whole with nothing known of its stored entries has none live (a new list has no blobs; an opened
      // one with blobs had every stored entry masked): a fold writes it afresh without reading them.
      const unknownBase = index.isWhole(list) && !state.members[list] && storedBlobs(lists[list]!).length > 0;
      const compaction = unknownBase ? 'whole' : (compacted.lists.get(list) ?? 'none');
      const counts = { added: added.length, masked: masked.length };
      const rewrite: ListRewrite | 'empty' = sizes[list] === 0 ? 'empty' : chooseRewrite(lists[list]!, counts, compaction, this.limits);
      return { list, rewrite };
    });
    // A fold rewrites the whole list: it is read whole. A merge of a list not held whole reads only its deltas and base ids.
    await this.admit(
      state,
      plans.filter(({ rewrite }) => rewrite === 'fold').map(({ list }) => list),
    );
    const merging = plans.filter(({ list, rewrite }) => rewrite === 'merge' && !index.isWhole(list)).map(({ list }) => list);
    const deltasToMerge = new Map(
      await pLimit(this.limits.fetchConcurrency).map(
        merging,
        async (list) => [list, await readDeltasToMerge(this.storage, lists[list]!, dimension)] as const,
      ),
    );

    const builder = new PackBuilder((...at) => indexKeys.pack(shard, ...at), generation, this.limits.packBytes);
    // Full packs are written as the commit goes on, so a large commit never holds them all.
    const packsWritten: { key: string; bytes: number }[] = [];
    const writeClosed = async (packs: BuiltPack[]) => {
      this.unnamed.push(...packs.map((pack) => pack.key));
      await pLimit(this.limits.fetchConcurrency).map(packs, (pack) => this.storage.put(pack.key, pack.bytes, binaryType));
      packsWritten.push(...packs.map(({ key, bytes }) => ({ key, bytes: bytes.length })));
    };
    for (const { list, rewrite } of plans) {
      this.used(list);
      if (rewrite === 'empty') {
        lists[list] = emptyList;
        state.members[list] = { live: new Map(), base: new Map() };
      } else if (rewrite !== 'keep') {
        lists[list] = this.rewriteList(builder, state, list, lists[list]!, rewrite, deltasToMerge.get(list));
      }
      await writeClosed(builder.takeClosed());
    }

    const pageCount = Math.ceil(snapshot.k / perPage);
    const changedPages = new Set([...changed.map((list) => Math.floor(list / perPage)), ...compacted.pages]);
    const pages: PageRef[] = [];
    for (let page = 0; page < pageCount; page += 1) {
      const firstList = page * perPage;
      const count = Math.min(perPage, snapshot.k - firstList);
      const kept = previous?.pages[page];
      if (kept && kept.lists === count && !changedPages.has(page) && !state.migrating) {
        pages.push(kept);
        continue;
      }
      const refs = lists.slice(firstList, firstList + count);
      const bytes = encodePage({
        dimension,
        firstList,
        centroids: snapshot.centroids.subarray(firstList * dimension, (firstList + count) * dimension),
        drift: snapshot.drift.subarray(firstList, firstList + count),
        lists: refs,
      });
      const items = refs.reduce((sum, ref) => sum + liveCount(ref), 0);
      const listBytes = refs.reduce((sum, ref) => sum + storedBlobs(ref).reduce((bytes, blob) => bytes + blob.bytes, 0), 0);
      pages.push({ ...builder.add(bytes), firstList, lists: count, items, bytes: bytes.length, listBytes });
    }
    await writeClosed(builder.finish());

    const packSizes = new Map([...(previous?.packs ?? []), ...packsWritten].map((ref) => [ref.key, ref.bytes]));
    const named = namedObjects(pages, lists);
    const stats = index.stats();
    const manifest: IndexManifest = {
      schemaVersion: indexManifestSchemaVersion,
      shard,
      generation,
      dimension,
      ...(this.options.embedder ? { embedder: this.options.embedder } : previous?.embedder ? { embedder: previous.embedder } : {}),
      config: index.config,
      prngState: snapshot.prngState,
      nextSeq: snapshot.nextSeq,
      repairCredit: snapshot.repairCredit,
      clusters: snapshot.k,
      listsPerPage: perPage,
      pages,
      packs: [...packSizes].filter(([key]) => named.has(key)).map(([key, bytes]) => ({ key, bytes })),
      liveItems: index.size,
      imbalanceFactor: round(stats.imbalanceFactor),
      maxClusterOverMean: round(stats.maxClusterOverMean),
    };
    const etag = await this.storage.put(
      indexKeys.manifest(shard),
      serializeIndexManifest(manifest),
      'application/json',
      previous && state.etag ? { ifMatch: state.etag } : { ifNoneMatch: '*' },
    );
    this.unnamed = [];
    // Readers still on the previous manifest refresh when an object it named is gone.
    const replaced = [...(previous ? namedObjects(previous.pages, state.lists) : []), ...state.legacyKeys];
    const garbage = [...new Set(replaced)].filter((key) => !named.has(key));
    Object.assign(state, { manifest, etag, lists, migrating: false, legacyKeys: [] });
    if (garbage.length > 0) await this.storage.delete(garbage);
    this.giveBackMemory(state);
    return packsWritten.length + 1;
  }

  /**
   * What changed in a list since it was stored: the entries to add (insertion sequence and id) and the ids to
   * mask. A list not held whole only ever gains entries (a removal needs it whole), so what it holds is what it
   * added; a list held whole with no record has nothing stored live.
   */
  private changeOf(state: WriterShard, list: number): { added: { seq: number; id: string }[]; masked: string[] } {
    const { index } = state;
    const current = index.listMembers(list);
    const members = index.isWhole(list) ? state.members[list] : undefined;
    if (!members) return { added: current, masked: [] };
    const currentSeqs = new Set(current.map(({ seq }) => seq));
    const masked = [...members.live].filter(([seq]) => !currentSeqs.has(seq)).map(([, id]) => id);
    return { added: current.filter(({ seq }) => !members.live.has(seq)), masked };
  }

  /**
   * Packs a list's rewrite and returns where the list is stored now; what is stored of it is recorded. A merge of
   * a list not held whole is given its deltas' live entries and the base ids they mask.
   */
  private rewriteList(
    builder: PackBuilder,
    state: WriterShard,
    list: number,
    ref: ListRef,
    rewrite: Exclude<ListRewrite, 'keep'>,
    deltasToMerge?: { entries: ListEntry[]; baseMasked: string[] },
  ): ListRef {
    const { index } = state;
    const { dimension } = index;
    const sum = index.listSum(list);
    if (rewrite === 'fold') {
      const entries = index.listEntries(list);
      const seqs = new Map(entries.map((entry) => [entry.seq, entry.id]));
      state.members[list] = { live: seqs, base: new Map(seqs) };
      return { ...this.pack(builder, encodeList(dimension, entries, [], sum)), count: entries.length };
    }
    const { deltas = [], ...base } = ref;
    if (rewrite === 'merge') {
      // One delta against the base: every live entry the base lacks, in insertion order, and every base entry gone since.
      let added: ListEntry[];
      let masked: string[];
      if (deltasToMerge) {
        // Not held whole, so it only gained entries since it was stored: those in memory join the stored deltas' live ones.
        added = [...deltasToMerge.entries, ...index.listEntries(list)].sort((a, b) => a.seq - b.seq);
        masked = deltasToMerge.baseMasked;
      } else {
        const baseMembers = state.members[list]?.base ?? new Map<number, string>();
        const current = index.listMembers(list);
        const currentSeqs = new Set(current.map(({ seq }) => seq));
        added = index.listEntries(list, (seq) => !baseMembers.has(seq));
        masked = [...baseMembers].filter(([seq]) => !currentSeqs.has(seq)).map(([, id]) => id);
        state.members[list] = { live: new Map(current.map(({ seq, id }) => [seq, id])), base: baseMembers };
      }
      const delta = { ...this.pack(builder, encodeList(dimension, added, masked, sum)), count: added.length, masked: masked.length };
      return { ...base, deltas: [delta] };
    }
    const { added, masked } = this.changeOf(state, list);
    const addedSeqs = new Set(added.map(({ seq }) => seq));
    const entries = index.listEntries(list, (seq) => addedSeqs.has(seq));
    const delta = { ...this.pack(builder, encodeList(dimension, entries, masked, sum)), count: entries.length, masked: masked.length };
    if (index.isWhole(list)) {
      const current = new Map(index.listMembers(list).map(({ seq, id }) => [seq, id]));
      const members = state.members[list];
      // A new list's first delta has no base under it.
      state.members[list] = { live: current, base: members?.base ?? new Map() };
    }
    return { ...base, deltas: [...deltas, delta] };
  }

  private pack(builder: PackBuilder, { bytes, scanBytes }: EncodedList): Omit<BlobRef, 'count'> {
    return { ...builder.add(bytes), scanBytes, bytes: bytes.length };
  }

  private used(list: number): void {
    this.recency.delete(list);
    this.recency.set(list, true);
  }

  /**
   * After a commit everything held is stored: lists not held whole give back what they added, and lists held
   * whole are given up, least recently used first, until they fit writerListBytes.
   */
  private giveBackMemory(state: WriterShard): void {
    const { index } = state;
    const bytesOf = (list: number) => index.listMemoryBytes(list) + index.inMemoryCount(list) * membersEntryBytes;
    let held = 0;
    for (let list = 0; list < index.clusterCount; list += 1) {
      if (!index.isWhole(list)) {
        if (index.inMemoryCount(list) > 0) index.evict(list);
      } else held += bytesOf(list);
    }
    for (const list of this.recency.keys()) {
      if (held <= this.limits.writerListBytes) break;
      this.recency.delete(list);
      if (list >= index.clusterCount || !index.isWhole(list) || index.inMemoryCount(list) === 0) continue;
      held -= bytesOf(list);
      index.evict(list);
      state.members[list] = undefined;
    }
  }

  private async deleteUnnamed(opened: WriterShard | undefined): Promise<void> {
    const named = opened?.manifest ? namedObjects(opened.manifest.pages, opened.lists) : new Set<string>();
    const orphans = this.unnamed.filter((key) => !named.has(key));
    this.unnamed = [];
    if (orphans.length > 0) await this.storage.delete(orphans);
  }

  private checkEmbedder(stored: EmbedderRef | undefined): void {
    const offered = this.options.embedder;
    if (!stored || !offered) return;
    if (stored.name !== offered.name || stored.version !== offered.version || stored.dimension !== offered.dimension) {
      throw new EmbedderMismatchError(
        `${stored.name}@${stored.version}/${stored.dimension}`,
        `${offered.name}@${offered.version}/${offered.dimension}`,
      );
    }
  }
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

/** Every object the pages and lists name (packs, or schema 2's own objects). */
function namedObjects(pages: readonly PageRef[], lists: readonly ListRef[]): Set<string> {
  const named = new Set(pages.map((ref) => ref.key));
  for (const ref of lists) for (const blob of storedBlobs(ref)) named.add(blob.key);
  return named;
}
