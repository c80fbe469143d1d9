import { readFloat32s, readMagic, readStrings, viewOf } from './binaryIo.js';
import type { legacyManifestSchemaVersion } from './constants.js';
import { CorruptIndexDataError, VqError } from './errors.js';
import type { IndexStorage } from './indexStorage.js';
import type { EmbedderRef, IndexSnapshotState, StoredEntry, VqIndexConfig } from './types.js';

/**
 * Schema 1, read only so that the writer can migrate a shard stored before
 * the page/list layout: a manifest naming one codebook and segments (base
 * segments of live entries, then delta segments of puts and tombstones).
 *
 *   segment: 'VQSG', u32 version, u32 dimension, u32 kind, u32 puts, u32 deletes, u32 string bytes, u32 reserved,
 *            f32[puts × dimension], u32[puts] lists, f64[puts] seqs, (u16 + UTF-8) × (puts + deletes) ids
 *   codebook: 'VQCB', u32 version, u32 dimension, u32 k, f32[k × dimension], f32[k] drift
 */
export interface LegacyManifest {
  schemaVersion: typeof legacyManifestSchemaVersion;
  shard: string;
  generation: number;
  dimension: number;
  embedder?: EmbedderRef;
  config: VqIndexConfig;
  prngState: number;
  nextSeq: number;
  repairCredit?: number;
  codebook: { key: string };
  segments: { key: string }[];
}

const segmentHeaderBytes = 32;
const legacyFormatVersion = 1;

/** The shard's state and live entries, and every object the legacy layout used (garbage once migrated). */
export async function readLegacyShard(
  storage: IndexStorage,
  manifest: LegacyManifest,
): Promise<{ state: IndexSnapshotState; entries: StoredEntry[]; keys: string[] }> {
  const keys = [manifest.codebook.key, ...manifest.segments.map((ref) => ref.key)];
  const objects = await Promise.all(
    keys.map(async (key) => {
      const object = await storage.get(key);
      if (!object) throw new StaleLegacyObjectError(key);
      return object.bytes;
    }),
  );
  const codebook = decodeCodebook(keys[0]!, objects[0]!);
  const live = new Map<string, StoredEntry>();
  objects.slice(1).forEach((bytes, i) => {
    const segment = decodeSegment(keys[i + 1]!, bytes, manifest.dimension);
    for (const id of segment.deletes) live.delete(id);
    for (const entry of segment.puts) live.set(entry.id, entry);
  });
  const state: IndexSnapshotState = {
    config: manifest.config,
    centroids: codebook.centroids,
    k: codebook.k,
    drift: codebook.drift,
    prngState: manifest.prngState,
    nextSeq: manifest.nextSeq,
    repairCredit: manifest.repairCredit ?? 0,
  };
  return { state, entries: [...live.values()], keys };
}

/** An object the legacy manifest named is gone (another writer migrated the shard meanwhile). */
export class StaleLegacyObjectError extends VqError {
  constructor(key: string) {
    super(`${key} is gone`);
    this.name = 'StaleLegacyObjectError';
  }
}

function decodeSegment(key: string, bytes: Uint8Array, dimension: number): { puts: StoredEntry[]; deletes: string[] } {
  const view = viewOf(bytes);
  if (bytes.length < segmentHeaderBytes || readMagic(bytes) !== 'VQSG') throw new CorruptIndexDataError(key, 'not a VQ segment');
  const version = view.getUint32(4, true);
  if (version !== legacyFormatVersion) throw new CorruptIndexDataError(key, `segment format ${version}, expected ${legacyFormatVersion}`);
  if (view.getUint32(8, true) !== dimension) throw new CorruptIndexDataError(key, 'segment dimension differs from the manifest');
  const putCount = view.getUint32(16, true);
  const deleteCount = view.getUint32(20, true);
  const stringBytes = view.getUint32(24, true);
  const expected = segmentHeaderBytes + putCount * (dimension * 4 + 12) + stringBytes;
  if (bytes.length !== expected) throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${expected}`);
  const vectors = readFloat32s(bytes, segmentHeaderBytes, putCount * dimension);
  let offset = segmentHeaderBytes + putCount * dimension * 4;
  const lists = Array.from({ length: putCount }, (_, i) => view.getUint32(offset + i * 4, true));
  offset += putCount * 4;
  const seqs = Array.from({ length: putCount }, (_, i) => view.getFloat64(offset + i * 8, true));
  offset += putCount * 8;
  const ids = readStrings(bytes, offset, putCount + deleteCount).strings;
  const puts = lists.map((list, i) => ({ id: ids[i]!, list, seq: seqs[i]!, vector: vectors.subarray(i * dimension, (i + 1) * dimension) }));
  return { puts, deletes: ids.slice(putCount) };
}

function decodeCodebook(key: string, bytes: Uint8Array): { k: number; centroids: Float32Array; drift: Float32Array } {
  const view = viewOf(bytes);
  if (bytes.length < 16 || readMagic(bytes) !== 'VQCB') throw new CorruptIndexDataError(key, 'not a VQ codebook');
  const dimension = view.getUint32(8, true);
  const k = view.getUint32(12, true);
  if (bytes.length !== 16 + k * (dimension + 1) * 4)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes for k=${k}, d=${dimension}`);
  return { k, centroids: readFloat32s(bytes, 16, k * dimension), drift: readFloat32s(bytes, 16 + k * dimension * 4, k) };
}
