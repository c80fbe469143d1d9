import pLimit from 'p-limit';
import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion, legacyManifestSchemaVersion } from './constants.js';
import { readBlob, readPage, StaleManifestError } from './blobReads.js';
import { CorruptIndexDataError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { parseStoredManifest, type IndexManifest } from './indexManifest.js';
import type { IndexStorage } from './indexStorage.js';
import { readLegacyShard, StaleLegacyObjectError, type LegacyManifest } from './legacySegments.js';
import { decodeList, storedBlobs, type BlobRef, type CodebookPage, type ListEntry, type ListRef } from './listCodec.js';
import { liveEntries, type ListPart } from './listParts.js';
import type { IndexSnapshotState } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

/** One stored blob of a list, decoded: its entries (vectors are views of its bytes), the ids it masks and, from schema 4, the list's sum. */
export interface StoredListBlob extends ListPart {
  entries: ListEntry[];
  sum?: Float64Array;
}

/** An index shard loaded whole (every vector: the writer's view), with the manifest version it reflects. */
export interface LoadedIndex {
  index: StreamingVqIndex;
  manifest: IndexManifest;
  etag: string;
  /** Where each list is stored now, by list number (empty key: no base). */
  lists: ListRef[];
  /** Objects of a schema-1 layout this load migrated from: garbage once the next commit lands. */
  legacyKeys: string[];
}

/**
 * Loads a shard whole, every vector in memory, or confirms a cached copy (an
 * unchanged manifest costs one conditional GET answered 304): what a query
 * function holds of a schema-1 shard, what a writer moving an older layout
 * into schema 4 starts from, and what tests and benches compare against. The
 * writer itself opens a shard without its vectors (writerShard.ts). A
 * schema-1 shard is read from its segments and marked changed throughout.
 * undefined when the shard has no manifest.
 */
export async function loadIndexShard(storage: IndexStorage, shard: string, cached?: LoadedIndex): Promise<LoadedIndex | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await loadOnce(storage, shard, cached);
    } catch (error) {
      const stale = error instanceof StaleManifestError || error instanceof StaleLegacyObjectError;
      if (!stale || attempt >= 3) throw error;
      cached = undefined;
    }
  }
}

async function loadOnce(storage: IndexStorage, shard: string, cached: LoadedIndex | undefined): Promise<LoadedIndex | undefined> {
  const manifestKey = indexKeys.manifest(shard);
  const object = cached ? await storage.getIfChanged(manifestKey, cached.etag) : await storage.get(manifestKey);
  if (object === 'unchanged') return cached;
  if (!object) return undefined;
  if (cached && object.etag === cached.etag) return cached;
  const stored = parseStoredManifest(manifestKey, object.bytes);
  if (stored.schemaVersion === legacyManifestSchemaVersion) return migrateLegacy(storage, stored, object.etag);
  const pages = await readPages(storage, stored);
  const lists = pages.flatMap((page) => page.lists);
  const index = StreamingVqIndex.restore(stateOf(stored, pages), []);
  // List by list as they arrive: each list's bytes are dropped once its entries are in the index.
  await pLimit(pipelineConfig.vq.storage.fetchConcurrency).map(lists, async (ref, list) => {
    const parts = await Promise.all(storedBlobs(ref).map((blob) => readListBlob(storage, blob, stored.dimension)));
    index.restoreEntries(liveEntries(parts, (part, slot) => ({ ...part.entries[slot]!, list })));
  });
  return { index, manifest: stored, etag: object.etag, lists, legacyKeys: [] };
}

/** A list's base or delta, decoded and checked against the page's word for it. */
export async function readListBlob(storage: IndexStorage, ref: BlobRef, dimension: number): Promise<StoredListBlob> {
  const decoded = decodeList(ref.key, await readBlob(storage, ref));
  if (decoded.count !== ref.count || decoded.dimension !== dimension)
    throw new CorruptIndexDataError(ref.key, `holds ${decoded.count} × ${decoded.dimension}, its page says ${ref.count} × ${dimension}`);
  const entries = decoded.ids.map((id, slot) => ({
    id,
    seq: decoded.seqs[slot]!,
    vector: decoded.vectors.subarray(slot * dimension, (slot + 1) * dimension),
  }));
  return { ids: decoded.ids, masked: decoded.masked, entries, ...(decoded.sum ? { sum: decoded.sum } : {}) };
}

/** The manifest's pages, in list order, checked against it. */
export async function readPages(storage: IndexStorage, manifest: IndexManifest): Promise<CodebookPage[]> {
  const pages = await pLimit(pipelineConfig.vq.storage.fetchConcurrency).map(manifest.pages, (ref) => readPage(storage, ref));
  let next = 0;
  pages.forEach((page, i) => {
    if (page.dimension !== manifest.dimension || page.firstList !== next || page.lists.length !== manifest.pages[i]!.lists)
      throw new CorruptIndexDataError(manifest.pages[i]!.key, 'page does not continue the codebook where the manifest says');
    next += page.lists.length;
  });
  if (next !== manifest.clusters)
    throw new CorruptIndexDataError(indexKeys.manifest(manifest.shard), `pages hold ${next} lists, manifest says ${manifest.clusters}`);
  return pages;
}

export function stateOf(manifest: IndexManifest, pages: CodebookPage[]): IndexSnapshotState {
  const { dimension, clusters } = manifest;
  const centroids = new Float32Array(clusters * dimension);
  const drift = new Float32Array(clusters);
  for (const page of pages) {
    centroids.set(page.centroids, page.firstList * dimension);
    drift.set(page.drift, page.firstList);
  }
  return {
    config: manifest.config,
    centroids,
    k: clusters,
    drift,
    prngState: manifest.prngState,
    nextSeq: manifest.nextSeq,
    repairCredit: manifest.repairCredit,
  };
}

async function migrateLegacy(storage: IndexStorage, legacy: LegacyManifest, etag: string): Promise<LoadedIndex> {
  const { state, entries, keys } = await readLegacyShard(storage, legacy);
  const index = StreamingVqIndex.restore(state, entries);
  index.markAllListsChanged();
  const stats = index.stats();
  const manifest: IndexManifest = {
    schemaVersion: indexManifestSchemaVersion,
    shard: legacy.shard,
    generation: legacy.generation,
    dimension: legacy.dimension,
    ...(legacy.embedder ? { embedder: legacy.embedder } : {}),
    config: index.config,
    prngState: state.prngState,
    nextSeq: state.nextSeq,
    repairCredit: state.repairCredit,
    clusters: state.k,
    listsPerPage: pipelineConfig.vq.storage.listsPerPage,
    pages: [],
    liveItems: index.size,
    imbalanceFactor: stats.imbalanceFactor,
    maxClusterOverMean: stats.maxClusterOverMean,
  };
  const lists = Array.from({ length: state.k }, () => ({ key: '', count: 0, scanBytes: 0, bytes: 0 }));
  return { index, manifest, etag, lists, legacyKeys: keys };
}
