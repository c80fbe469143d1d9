import { CorruptIndexDataError, VqError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { parseIndexManifest, type IndexManifest } from './indexManifest.js';
import type { IndexStorage } from './indexStorage.js';
import { decodeCodebook, decodeSegment } from './segmentCodec.js';
import type { IndexSnapshotState } from './types.js';
import { StreamingVqIndex } from './vectorIndex.js';

/** An index shard as loaded from storage, with the manifest version it reflects. */
export interface LoadedIndex {
  index: StreamingVqIndex;
  manifest: IndexManifest;
  etag: string;
}

/** A segment or codebook named by the manifest is gone (a compaction replaced it); reload from the new manifest. */
class StaleManifestError extends VqError {
  constructor(key: string) {
    super(`${key} is gone`);
    this.name = 'StaleManifestError';
  }
}

/**
 * Loads a shard, or brings a cached copy up to date: unchanged manifest, one
 * conditional GET answered 304 and no other work; new delta segments after the cached ones, only those are fetched and
 * applied; anything else (a compaction), a full reload. undefined when the
 * shard has no manifest yet.
 */
export async function loadIndexShard(storage: IndexStorage, shard: string, cached?: LoadedIndex): Promise<LoadedIndex | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await loadOnce(storage, shard, cached);
    } catch (error) {
      if (!(error instanceof StaleManifestError) || attempt >= 3) throw error;
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
  const manifest = parseIndexManifest(manifestKey, object.bytes);
  const state = await readState(storage, manifest);
  const previous = cached?.manifest.segments ?? [];
  const extends_ =
    cached !== undefined &&
    previous.length <= manifest.segments.length &&
    previous.every((ref, i) => manifest.segments[i]?.key === ref.key);
  const fresh = extends_ ? manifest.segments.slice(previous.length) : manifest.segments;
  const segments = await Promise.all(fresh.map(async (ref) => decodeSegment(ref.key, await fetchRequired(storage, ref.key))));
  for (const segment of segments) {
    if (segment.dimension !== manifest.dimension)
      throw new CorruptIndexDataError(manifestKey, 'segment dimension differs from the manifest');
  }
  if (extends_ && cached) {
    for (const segment of segments) cached.index.applyStoredChanges(state, segment);
    if (segments.length === 0) cached.index.applyStoredChanges(state, { puts: [], deletes: [] });
    return { index: cached.index, manifest, etag: object.etag };
  }
  const index = StreamingVqIndex.restore(state, []);
  for (const segment of segments) index.applyStoredChanges(state, segment);
  return { index, manifest, etag: object.etag };
}

async function readState(storage: IndexStorage, manifest: IndexManifest): Promise<IndexSnapshotState> {
  const codebook = decodeCodebook(manifest.codebook.key, await fetchRequired(storage, manifest.codebook.key));
  if (codebook.dimension !== manifest.dimension)
    throw new CorruptIndexDataError(manifest.codebook.key, 'codebook dimension differs from the manifest');
  return {
    config: manifest.config,
    centroids: codebook.centroids,
    k: codebook.k,
    drift: codebook.drift,
    prngState: manifest.prngState,
    nextSeq: manifest.nextSeq,
    repairCredit: manifest.repairCredit ?? 0,
  };
}

async function fetchRequired(storage: IndexStorage, key: string): Promise<Uint8Array> {
  const object = await storage.get(key);
  if (!object) throw new StaleManifestError(key);
  return object.bytes;
}
