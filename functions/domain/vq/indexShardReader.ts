import { pipelineConfig } from '../../config/index.js';
import { indexManifestSchemaVersion, legacyManifestSchemaVersion } from './constants.js';
import { mapConcurrent } from './concurrency.js';
import { CorruptIndexDataError, VqError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { parseStoredManifest, type IndexManifest } from './indexManifest.js';
import type { IndexStorage } from './indexStorage.js';
import { readLegacyShard, StaleLegacyObjectError, type LegacyManifest } from './legacySegments.js';
import { decodeList, decodePage, type CodebookPage, type ListRef } from './listCodec.js';
import type { IndexSnapshotState } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

/** An index shard loaded whole (every vector: the writer's view), with the manifest version it reflects. */
export interface LoadedIndex {
  index: StreamingVqIndex;
  manifest: IndexManifest;
  etag: string;
  /** The object each list is stored in now, by list number (empty key: empty list). */
  lists: ListRef[];
  /** Objects of a schema-1 layout this load migrated from: garbage once the next commit lands. */
  legacyKeys: string[];
}

/** A page or list named by the manifest is gone (a newer commit replaced it): reload from the new manifest. */
export class StaleManifestError extends VqError {
  constructor(key: string) {
    super(`${key} is gone`);
    this.name = 'StaleManifestError';
  }
}

/**
 * Loads a shard whole, or confirms a cached copy: an unchanged manifest costs
 * one conditional GET answered 304. A changed one is loaded afresh (one writer
 * per shard, so that happens only after a lost race). A schema-1 shard is
 * read from its segments and marked changed throughout, so the next commit
 * writes it in pages and lists. undefined when the shard has no manifest.
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
  await mapConcurrent(lists, pipelineConfig.vq.storage.fetchConcurrency, async (ref, list) => {
    if (ref.count === 0) return;
    const decoded = decodeList(ref.key, await fetchRequired(storage, ref.key));
    if (decoded.count !== ref.count || decoded.dimension !== stored.dimension)
      throw new CorruptIndexDataError(
        ref.key,
        `holds ${decoded.count} × ${decoded.dimension}, its page says ${ref.count} × ${stored.dimension}`,
      );
    index.restoreEntries(
      decoded.ids.map((id, slot) => ({
        id,
        list,
        seq: decoded.seqs[slot]!,
        vector: decoded.vectors.subarray(slot * stored.dimension, (slot + 1) * stored.dimension),
      })),
    );
  });
  return { index, manifest: stored, etag: object.etag, lists, legacyKeys: [] };
}

/** The manifest's pages, in list order, checked against it. */
async function readPages(storage: IndexStorage, manifest: IndexManifest): Promise<CodebookPage[]> {
  const pages = await mapConcurrent(manifest.pages, pipelineConfig.vq.storage.fetchConcurrency, async (ref) =>
    decodePage(ref.key, await fetchRequired(storage, ref.key)),
  );
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

function stateOf(manifest: IndexManifest, pages: CodebookPage[]): IndexSnapshotState {
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

export async function fetchRequired(storage: IndexStorage, key: string): Promise<Uint8Array> {
  const object = await storage.get(key);
  if (!object) throw new StaleManifestError(key);
  return object.bytes;
}
