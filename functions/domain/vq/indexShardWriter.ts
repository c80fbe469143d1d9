import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion } from './constants.js';
import { mapConcurrent } from './concurrency.js';
import { CommitConflictError, EmbedderMismatchError, PreconditionFailedError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { serializeIndexManifest, type IndexManifest, type PageRef } from './indexManifest.js';
import { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { encodeList, encodePage, type ListRef } from './listCodec.js';
import type { EmbedderRef, UpdateReport, VqIndexConfig } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

export type IndexOperation = { op: 'upsert'; id: string; vector: Float32Array } | { op: 'delete'; id: string };

export interface StorageLimits {
  listsPerPage: number;
  commitAttempts: number;
  fetchConcurrency: number;
}

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
 * update, writes the lists the batch changed and the codebook pages that own
 * them (immutable, content-addressed), then the manifest with
 * If-Match on the ETag it read (If-None-Match for the first). A lost race
 * reloads and re-applies the batch; nothing is overwritten.
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
    const changed = index.takeChangedLists();
    const state = index.snapshotState();
    const { dimension } = index;
    const lists = Array.from({ length: state.k }, (_, list) => loaded?.lists[list] ?? emptyList);

    const written = await mapConcurrent(changed, this.limits.fetchConcurrency, async (list) => {
      const entries = index.listEntries(list);
      if (entries.length === 0) return emptyList;
      const { bytes, scanBytes } = encodeList(dimension, entries);
      const key = indexKeys.list(shard, list, generation, bytes);
      await this.write(key, bytes);
      return { key, count: entries.length, scanBytes, bytes: bytes.length };
    });
    changed.forEach((list, i) => (lists[list] = written[i]!));

    const perPage = previous?.pages.length ? previous.listsPerPage : this.limits.listsPerPage;
    const pageCount = Math.ceil(state.k / perPage);
    const changedPages = new Set(changed.map((list) => Math.floor(list / perPage)));
    const pages: PageRef[] = [];
    const pageWrites: Promise<void>[] = [];
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
      const key = indexKeys.page(shard, page, generation, bytes);
      pageWrites.push(this.write(key, bytes));
      const items = refs.reduce((sum, ref) => sum + ref.count, 0);
      pages.push({ key, firstList, lists: count, items, bytes: bytes.length, listBytes: refs.reduce((sum, ref) => sum + ref.bytes, 0) });
    }
    await Promise.all(pageWrites);

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
      liveItems: index.size,
      imbalanceFactor: round(stats.imbalanceFactor),
      maxClusterOverMean: round(stats.maxClusterOverMean),
    };
    this.unnamed = [
      ...written.map((ref) => ref.key).filter((key) => key !== ''),
      ...pages.filter((ref) => !previous?.pages.includes(ref)).map((ref) => ref.key),
    ];
    const etag = await this.storage.put(
      indexKeys.manifest(shard),
      serializeIndexManifest(manifest),
      'application/json',
      loaded ? { ifMatch: loaded.etag } : { ifNoneMatch: '*' },
    );
    this.unnamed = [];
    // Readers still on the previous manifest refresh when an object it named is gone.
    const live = new Set([...pages.map((ref) => ref.key), ...lists.map((ref) => ref.key)]);
    const replaced = [
      ...(previous?.pages.map((ref) => ref.key) ?? []),
      ...(loaded?.lists.map((ref) => ref.key) ?? []),
      ...(loaded?.legacyKeys ?? []),
    ];
    const garbage = replaced.filter((key) => key !== '' && !live.has(key));
    if (garbage.length > 0) await this.storage.delete(garbage);
    const objectsWritten = written.filter((ref) => ref.key !== '').length + pageWrites.length + 1;
    return { committed: { index, manifest, etag, lists, legacyKeys: [] }, objectsWritten };
  }

  /**
   * A content-addressed object: its key names its bytes (generation and hash), so a retried or
   * racing commit can only write the same bytes again, and no condition is needed (an emulated
   * If-None-Match would cost a HEAD per object).
   */
  private async write(key: string, bytes: Uint8Array): Promise<void> {
    await this.storage.put(key, bytes, binaryType);
  }

  private async deleteUnnamed(loaded: LoadedIndex | undefined): Promise<void> {
    const named = new Set([...(loaded?.manifest.pages.map((ref) => ref.key) ?? []), ...(loaded?.lists.map((ref) => ref.key) ?? [])]);
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
