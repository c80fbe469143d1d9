import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion } from './constants.js';
import { CommitConflictError, EmbedderMismatchError, PreconditionFailedError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { serializeIndexManifest, type EmbedderRef, type IndexManifest, type SegmentRef } from './indexManifest.js';
import { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { encodeCodebook, encodeSegment } from './segmentCodec.js';
import type { StoredEntry, UpdateReport, VqIndexConfig } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

export type IndexOperation = { op: 'upsert'; id: string; vector: Float32Array } | { op: 'delete'; id: string };

export interface StorageLimits {
  maxSegmentBytes: number;
  maxDeltaSegments: number;
  maxTombstoneFraction: number;
  commitAttempts: number;
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
  compacted: boolean;
  /** Read-modify-write attempts it took (1 without contention). */
  attempts: number;
  update?: UpdateReport;
  manifest?: IndexManifest;
}

const binaryType = 'application/octet-stream';

/**
 * The one writer of a shard: applies a batch of operations, runs a codebook
 * update, writes the codebook and a delta segment (content-addressed, create-only)
 * and then the manifest with If-Match on the ETag it read (If-None-Match for the
 * first). A lost race reloads and re-applies the batch; nothing is overwritten.
 */
export class IndexShardWriter {
  private cached: LoadedIndex | undefined;
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

  async apply(operations: readonly IndexOperation[]): Promise<CommitResult> {
    return this.readModifyWrite((index) => {
      for (const operation of operations) {
        if (operation.op === 'upsert') index.insert(operation.id, operation.vector);
        else index.delete(operation.id);
      }
    }, false);
  }

  /** Rewrites the shard as base segments of live entries only; tombstones and superseded records go. */
  async compact(): Promise<CommitResult> {
    return this.readModifyWrite(() => undefined, true);
  }

  private async readModifyWrite(mutate: (index: StreamingVqIndex) => void, forceCompaction: boolean): Promise<CommitResult> {
    const { shard } = this.options;
    for (let attempt = 1; attempt <= this.limits.commitAttempts; attempt += 1) {
      const loaded = await loadIndexShard(this.storage, shard, this.cached);
      if (loaded) this.checkEmbedder(loaded.manifest.embedder);
      const index = loaded?.index ?? StreamingVqIndex.create(this.options.config);
      mutate(index);
      if (!index.hasChanges && !forceCompaction) {
        this.cached = loaded;
        return {
          changed: false,
          generation: loaded?.manifest.generation ?? 0,
          compacted: false,
          attempts: attempt,
          manifest: loaded?.manifest,
        };
      }
      const update = index.update();
      try {
        const committed = await this.commit(index, loaded, forceCompaction);
        this.cached = committed;
        return {
          changed: true,
          generation: committed.manifest.generation,
          compacted: committed.manifest.segments.every((ref) => ref.kind === 'base'),
          attempts: attempt,
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

  private async commit(index: StreamingVqIndex, loaded: LoadedIndex | undefined, forceCompaction: boolean): Promise<LoadedIndex> {
    const { shard } = this.options;
    const previous = loaded?.manifest;
    const generation = (previous?.generation ?? 0) + 1;
    const changes = index.takeChanges();
    const state = index.snapshotState();
    const codebookBytes = encodeCodebook(index.dimension, state.k, state.centroids, state.drift);
    const codebookKey = indexKeys.codebook(shard, generation, codebookBytes);
    await this.create(codebookKey, codebookBytes);

    const oldSegments = previous?.segments ?? [];
    const records = (segments: SegmentRef[]) => segments.reduce((sum, ref) => sum + ref.puts + ref.deletes, 0);
    const deltaRecords = records(oldSegments) + changes.puts.length + changes.deletes.length;
    const deltas = oldSegments.filter((ref) => ref.kind === 'delta').length + 1;
    const compact =
      forceCompaction ||
      deltas > this.limits.maxDeltaSegments ||
      deltaRecords - index.size > this.limits.maxTombstoneFraction * Math.max(index.size, 1);

    let segments: SegmentRef[];
    if (compact) {
      segments = await this.writeBaseSegments(index, generation);
    } else {
      const bytes = encodeSegment('delta', index.dimension, changes);
      const key = indexKeys.segment(shard, generation, 'delta', 0, bytes);
      await this.create(key, bytes);
      segments = [...oldSegments, { key, kind: 'delta', puts: changes.puts.length, deletes: changes.deletes.length, bytes: bytes.length }];
    }
    const stats = index.stats();
    const manifest: IndexManifest = {
      schemaVersion: indexManifestSchemaVersion,
      shard,
      generation,
      dimension: index.dimension,
      ...(this.options.embedder ? { embedder: this.options.embedder } : previous?.embedder ? { embedder: previous.embedder } : {}),
      config: index.config,
      prngState: state.prngState,
      nextSeq: state.nextSeq,
      repairCredit: state.repairCredit,
      codebook: { key: codebookKey, clusters: state.k, bytes: codebookBytes.length },
      segments,
      liveItems: index.size,
      staleRecords: records(segments) - index.size,
      imbalanceFactor: round(stats.imbalanceFactor),
      maxClusterOverMean: round(stats.maxClusterOverMean),
    };
    const etag = await this.storage.put(
      indexKeys.manifest(shard),
      serializeIndexManifest(manifest),
      'application/json',
      loaded ? { ifMatch: loaded.etag } : { ifNoneMatch: '*' },
    );
    // Readers still on the previous manifest reload when an object it named is gone.
    const live = new Set([codebookKey, ...segments.map((ref) => ref.key)]);
    const garbage = previous ? [previous.codebook.key, ...previous.segments.map((ref) => ref.key)].filter((key) => !live.has(key)) : [];
    if (garbage.length > 0) await this.storage.delete(garbage);
    return { index, manifest, etag };
  }

  private async writeBaseSegments(index: StreamingVqIndex, generation: number): Promise<SegmentRef[]> {
    const perSegment = Math.max(1, Math.floor(this.limits.maxSegmentBytes / (index.dimension * 4 + 64)));
    const refs: SegmentRef[] = [];
    let batch: StoredEntry[] = [];
    const flush = async () => {
      const bytes = encodeSegment('base', index.dimension, { puts: batch, deletes: [] });
      const key = indexKeys.segment(this.options.shard, generation, 'base', refs.length, bytes);
      await this.create(key, bytes);
      refs.push({ key, kind: 'base', puts: batch.length, deletes: 0, bytes: bytes.length });
      batch = [];
    };
    for (const entry of index.entries()) {
      batch.push(entry);
      if (batch.length >= perSegment) await flush();
    }
    if (batch.length > 0 || refs.length === 0) await flush();
    return refs;
  }

  /** Create-only write of a content-addressed object: if it already exists it has these bytes. */
  private async create(key: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.storage.put(key, bytes, binaryType, { ifNoneMatch: '*' });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
    }
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
