import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion, pagesManifestSchemaVersion } from './constants.js';
import { mapConcurrent } from './concurrency.js';
import { CommitConflictError, EmbedderMismatchError, PreconditionFailedError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { serializeIndexManifest, type IndexManifest, type PageRef } from './indexManifest.js';
import { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { encodeList, encodePage, liveCount, storedBlobs, type BlobRef, type EncodedList, type ListRef } from './listCodec.js';
import { PackBuilder } from './packBuilder.js';
import type { EmbedderRef, UpdateReport, VqIndexConfig } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

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

/**
 * The one writer of a shard: applies a batch of operations, runs a codebook
 * update, and packs what changed into one new pack: for each changed list
 * a delta (its added entries and the base ids it masks) or, once the delta
 * outgrows a fraction of the list, the whole list again; the codebook pages
 * that own those lists; and the live contents of mostly-dead packs
 * (compaction). Then the manifest, with If-Match on the ETag it read
 * (If-None-Match for the first). A lost race deletes its pack, reloads and
 * re-applies the batch; nothing stored is ever overwritten.
 */
export class IndexShardWriter {
  private cached: LoadedIndex | undefined;
  /** Objects a commit wrote before it lost the manifest race: deleted once the winner's state is loaded, unless it names them. */
  private unnamed: string[] = [];
  private readonly limits: StorageLimits;

  constructor(
    private readonly storage: IndexStorage,
    private readonly options: IndexShardWriterOptions,
  ) {
    this.limits = { ...pipelineConfig.vq.storage, ...options.limits };
  }

  /** The index as last committed or loaded by this writer (for tests and the bench). */
  get current(): LoadedIndex | undefined {
    return this.cached;
  }

  /**
   * Applies the operations as one commit. `updateEvery` runs a codebook update
   * after every that many operations as well (a bulk load behaves like the
   * indexer's stream of small batches while still committing once).
   */
  async apply(operations: readonly IndexOperation[], options: { updateEvery?: number } = {}): Promise<CommitResult> {
    const { shard } = this.options;
    for (let attempt = 1; attempt <= this.limits.commitAttempts; attempt += 1) {
      // The shard's one writer trusts what it last committed: the manifest's If-Match catches any other writer.
      const trusted = attempt === 1 ? this.cached : undefined;
      const loaded = trusted ?? (await loadIndexShard(this.storage, shard, this.cached));
      if (this.unnamed.length > 0) await this.deleteUnnamed(loaded);
      if (loaded) this.checkEmbedder(loaded.manifest.embedder);
      const index = loaded?.index ?? StreamingVqIndex.create(this.options.config);
      operations.forEach((operation, i) => {
        if (operation.op === 'upsert') index.insert(operation.id, operation.vector);
        else index.delete(operation.id);
        if (options.updateEvery && (i + 1) % options.updateEvery === 0) index.update();
      });
      if (!index.hasChanges) {
        // "Nothing to do" is only as good as the state it was judged on: confirm it is still the stored one.
        if (trusted && (await loadIndexShard(this.storage, shard, trusted)) !== trusted) {
          this.cached = undefined;
          attempt -= 1;
          continue;
        }
        this.cached = loaded;
        return {
          changed: false,
          generation: loaded?.manifest.generation ?? 0,
          attempts: attempt,
          objectsWritten: 0,
          manifest: loaded?.manifest,
        };
      }
      const update = index.update();
      try {
        const { committed, objectsWritten } = await this.commit(index, loaded);
        this.cached = committed;
        return {
          changed: true,
          generation: committed.manifest.generation,
          attempts: attempt,
          objectsWritten,
          update,
          manifest: committed.manifest,
        };
      } catch (error) {
        // The in-memory index holds uncommitted changes: drop it and start from what is stored.
        this.cached = undefined;
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
    throw new CommitConflictError(indexKeys.manifest(shard), this.limits.commitAttempts);
  }

  private async commit(
    index: StreamingVqIndex,
    loaded: LoadedIndex | undefined,
  ): Promise<{ committed: LoadedIndex; objectsWritten: number }> {
    const { shard } = this.options;
    const previous = loaded?.manifest;
    const generation = (previous?.generation ?? 0) + 1;
    const state = index.snapshotState();
    const { dimension } = index;
    const lists = Array.from({ length: state.k }, (_, list) => loaded?.lists[list] ?? emptyList);
    const baseMembers = Array.from({ length: state.k }, (_, list) => loaded?.baseMembers[list] ?? new Map<number, string>());
    const perPage = previous?.pages.length ? previous.listsPerPage : this.limits.listsPerPage;
    // A schema-2 shard moves into packs whole; otherwise only the lists and pages of sparse packs are rewritten.
    const migrating = previous?.schemaVersion === pagesManifestSchemaVersion;
    const compacted = migrating ? allOf(previous, lists.length) : sparsePackContents(previous, lists, this.limits.compaction);
    const changed = [...new Set([...index.takeChangedLists(), ...compacted.lists])].filter((list) => list < state.k).sort((a, b) => a - b);

    const builder = new PackBuilder((...at) => indexKeys.pack(shard, ...at), generation, this.limits.packBytes);
    for (const list of changed) {
      const entries = index.listEntries(list);
      const base = baseMembers[list]!;
      if (entries.length === 0) {
        lists[list] = emptyList;
        baseMembers[list] = new Map();
        continue;
      }
      const current = new Set(entries.map((entry) => entry.seq));
      const added = entries.filter((entry) => !base.has(entry.seq));
      const masked = [...base].filter(([seq]) => !current.has(seq)).map(([, id]) => id);
      const { entries: foldEntries, fractionOfBase } = this.limits.foldWhenDeltaExceeds;
      const fold = compacted.lists.has(list) || added.length + masked.length > Math.max(foldEntries, fractionOfBase * base.size);
      if (fold) {
        lists[list] = { ...this.pack(builder, encodeList(dimension, entries)), count: entries.length };
        baseMembers[list] = new Map(entries.map((entry) => [entry.seq, entry.id]));
      } else {
        const { delta: _replaced, ...baseRef } = lists[list]!;
        lists[list] =
          added.length + masked.length === 0
            ? baseRef
            : {
                ...baseRef,
                delta: { ...this.pack(builder, encodeList(dimension, added, masked)), count: added.length, masked: masked.length },
              };
      }
    }

    const pageCount = Math.ceil(state.k / perPage);
    const changedPages = new Set([...changed.map((list) => Math.floor(list / perPage)), ...compacted.pages]);
    const pages: PageRef[] = [];
    for (let page = 0; page < pageCount; page += 1) {
      const firstList = page * perPage;
      const count = Math.min(perPage, state.k - firstList);
      const kept = previous?.pages[page];
      if (kept && kept.lists === count && !changedPages.has(page)) {
        pages.push(kept);
        continue;
      }
      const refs = lists.slice(firstList, firstList + count);
      const bytes = encodePage({
        dimension,
        firstList,
        centroids: state.centroids.subarray(firstList * dimension, (firstList + count) * dimension),
        drift: state.drift.subarray(firstList, firstList + count),
        lists: refs,
      });
      const items = refs.reduce((sum, ref) => sum + liveCount(ref), 0);
      const listBytes = refs.reduce((sum, ref) => sum + ref.bytes + (ref.delta?.bytes ?? 0), 0);
      pages.push({ ...builder.add(bytes), firstList, lists: count, items, bytes: bytes.length, listBytes });
    }
    const built = builder.finish();
    this.unnamed = built.map((pack) => pack.key);
    await mapConcurrent(built, this.limits.fetchConcurrency, (pack) => this.storage.put(pack.key, pack.bytes, binaryType));

    const sizes = new Map(
      [...(previous?.packs ?? []), ...built.map(({ key, bytes }) => ({ key, bytes: bytes.length }))].map((ref) => [ref.key, ref.bytes]),
    );
    const named = namedObjects(pages, lists);
    const stats = index.stats();
    const manifest: IndexManifest = {
      schemaVersion: indexManifestSchemaVersion,
      shard,
      generation,
      dimension,
      ...(this.options.embedder ? { embedder: this.options.embedder } : previous?.embedder ? { embedder: previous.embedder } : {}),
      config: index.config,
      prngState: state.prngState,
      nextSeq: state.nextSeq,
      repairCredit: state.repairCredit,
      clusters: state.k,
      listsPerPage: perPage,
      pages,
      packs: [...sizes].filter(([key]) => named.has(key)).map(([key, bytes]) => ({ key, bytes })),
      liveItems: index.size,
      imbalanceFactor: round(stats.imbalanceFactor),
      maxClusterOverMean: round(stats.maxClusterOverMean),
    };
    const etag = await this.storage.put(
      indexKeys.manifest(shard),
      serializeIndexManifest(manifest),
      'application/json',
      loaded ? { ifMatch: loaded.etag } : { ifNoneMatch: '*' },
    );
    this.unnamed = [];
    // Readers still on the previous manifest refresh when an object it named is gone.
    const replaced = [...(previous ? namedObjects(previous.pages, loaded.lists) : []), ...(loaded?.legacyKeys ?? [])];
    const garbage = [...new Set(replaced)].filter((key) => !named.has(key));
    if (garbage.length > 0) await this.storage.delete(garbage);
    return { committed: { index, manifest, etag, lists, baseMembers, legacyKeys: [] }, objectsWritten: built.length + 1 };
  }

  private pack(builder: PackBuilder, { bytes, scanBytes }: EncodedList): Omit<BlobRef, 'count'> {
    return { ...builder.add(bytes), scanBytes, bytes: bytes.length };
  }

  private async deleteUnnamed(loaded: LoadedIndex | undefined): Promise<void> {
    const named = loaded ? namedObjects(loaded.manifest.pages, loaded.lists) : new Set<string>();
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

interface Rewrites {
  lists: Set<number>;
  pages: Set<number>;
}

function allOf(manifest: IndexManifest, lists: number): Rewrites {
  return { lists: new Set(Array.from({ length: lists }, (_, list) => list)), pages: new Set(manifest.pages.map((_, page) => page)) };
}

/**
 * The lists and pages to rewrite so that packs mostly dead are freed: a
 * pack whose live bytes (what the manifest's pages and lists still name in
 * it) fall below the fraction gives up its live contents, oldest pack
 * first, up to the byte budget of a commit.
 */
function sparsePackContents(
  manifest: IndexManifest | undefined,
  lists: readonly ListRef[],
  { liveFractionBelow, bytesPerCommit }: StorageLimits['compaction'],
): Rewrites {
  const rewrites: Rewrites = { lists: new Set(), pages: new Set() };
  if (!manifest?.packs?.length) return rewrites;
  const live = new Map<string, number>();
  const count = (key: string, bytes: number) => live.set(key, (live.get(key) ?? 0) + bytes);
  manifest.pages.forEach((ref) => count(ref.key, ref.bytes));
  for (const ref of lists) for (const blob of storedBlobs(ref)) count(blob.key, blob.bytes);
  const sparse = new Set(manifest.packs.filter(({ key, bytes }) => (live.get(key) ?? 0) < liveFractionBelow * bytes).map(({ key }) => key));
  let budget = bytesPerCommit;
  for (const { key } of manifest.packs) {
    if (!sparse.has(key) || budget <= 0) continue;
    manifest.pages.forEach((ref, page) => ref.key === key && rewrites.pages.add(page));
    lists.forEach((ref, list) => {
      if (budget > 0 && (ref.key === key || ref.delta?.key === key)) {
        rewrites.lists.add(list);
        budget -= ref.bytes + (ref.delta?.bytes ?? 0);
      }
    });
  }
  return rewrites;
}
