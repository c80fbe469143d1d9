import pLimit from 'p-limit';
import { indexManifestSchemaVersion } from './constants.js';
import { readBlobRange, StaleManifestError } from './blobReads.js';
import { CorruptIndexDataError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { parseStoredManifest, type IndexManifest } from './indexManifest.js';
import { loadIndexShard, readListBlob, readPages, stateOf } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { decodeMembers, liveCount, maskedCounts, membersRange, storedBlobs, type ListEntry, type ListRef } from './listCodec.js';
import { liveEntries, maskedSlots } from './listParts.js';
import { StaleLegacyObjectError } from './legacySegments.js';
import { StreamingVqIndex } from './vectorIndex.js';

/** What the writer knows of a list it holds whole: its live stored entries, and its base's entries (live or masked since). */
interface StoredMembers {
  /** Insertion sequence → id. */
  live: Map<number, string>;
  base: Map<number, string>;
}

/**
 * A shard as its writer holds it: the index (codebook, sums, ids, and the
 * lists it has needed, whole), where each list is stored, and what is stored
 * of each list it holds whole. Memory follows the lists held, not the shard.
 */
export interface WriterShard {
  index: StreamingVqIndex;
  /** Undefined for a shard with nothing stored yet. */
  manifest?: IndexManifest;
  etag?: string;
  lists: ListRef[];
  /** Per list held whole: what of it is stored (a list never stored, or emptied, has empty maps). */
  members: (StoredMembers | undefined)[];
  /** Opened from a layout without list sums (schema ≤ 3), whole: the next commit writes every list again. */
  migrating: boolean;
  /** Objects of a schema-1 layout this open migrated from: garbage once the next commit lands. */
  legacyKeys: string[];
}

const noMembers = (): StoredMembers => ({ live: new Map(), base: new Map() });

/** A shard with nothing stored: every list is new, so whole. */
export function emptyWriterShard(index: StreamingVqIndex): WriterShard {
  return { index, lists: [], members: [], migrating: false, legacyKeys: [] };
}

/**
 * Opens a shard for writing, or confirms a cached one (an unchanged manifest
 * costs one conditional GET answered 304). From schema 4 it reads the
 * codebook pages and, of every stored blob, only its ids (and the newest
 * blob's list sum): one range read each, never the codes or vectors. An older
 * shard has no sums: it is loaded whole once and written whole by the next
 * commit. undefined when the shard has no manifest.
 */
export async function openShardForWriting(
  storage: IndexStorage,
  shard: string,
  fetchConcurrency: number,
  cached?: WriterShard,
): Promise<WriterShard | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await openOnce(storage, shard, fetchConcurrency, cached);
    } catch (error) {
      const stale = error instanceof StaleManifestError || error instanceof StaleLegacyObjectError;
      if (!stale || attempt >= 3) throw error;
      cached = undefined;
    }
  }
}

async function openOnce(
  storage: IndexStorage,
  shard: string,
  fetchConcurrency: number,
  cached: WriterShard | undefined,
): Promise<WriterShard | undefined> {
  const manifestKey = indexKeys.manifest(shard);
  const object = cached?.etag ? await storage.getIfChanged(manifestKey, cached.etag) : await storage.get(manifestKey);
  if (object === 'unchanged') return cached;
  if (!object) return undefined;
  if (cached && object.etag === cached.etag) return cached;
  const stored = parseStoredManifest(manifestKey, object.bytes);
  if (stored.schemaVersion !== indexManifestSchemaVersion) {
    const loaded = (await loadIndexShard(storage, shard))!;
    loaded.index.markAllListsChanged();
    const lists = loaded.lists;
    return { ...loaded, members: lists.map(noMembers), migrating: true };
  }
  const pages = await readPages(storage, stored);
  const lists = pages.flatMap((page) => page.lists);
  const { dimension } = stored;
  const opened = await pLimit(fetchConcurrency).map(lists, async (ref) => {
    const blobs = storedBlobs(ref);
    const masked = maskedCounts(ref);
    const parts = await Promise.all(
      blobs.map(async (blob, b) => {
        const newest = b === blobs.length - 1;
        const bytes = await readBlobRange(storage, blob, ...membersRange(blob, dimension, newest));
        return decodeMembers(blob.key, bytes, blob, masked[b]!, dimension, newest);
      }),
    );
    const ids = liveEntries(parts, (part, slot) => part.ids[slot]!);
    if (ids.length !== liveCount(ref))
      throw new CorruptIndexDataError(ref.key, `holds ${ids.length} live ids, its page says ${liveCount(ref)}`);
    return { ids, sum: parts.at(-1)?.sum ?? new Float64Array(dimension) };
  });
  const index = StreamingVqIndex.open(stateOf(stored, pages), opened);
  const members = lists.map((ref) => (storedBlobs(ref).length === 0 ? noMembers() : undefined));
  return { index, manifest: stored, etag: object.etag, lists, members, migrating: false, legacyKeys: [] };
}

/**
 * Makes lists whole: reads every blob of each (in parallel, a range read
 * each), and hands the live entries to the index; records what is stored of
 * them. Lists already whole are left as they are.
 */
export async function admitLists(
  storage: IndexStorage,
  shard: WriterShard,
  lists: Iterable<number>,
  fetchConcurrency: number,
): Promise<void> {
  const { index } = shard;
  const wanted = [...new Set(lists)].filter((list) => !index.isWhole(list));
  const dimension = index.dimension;
  await pLimit(fetchConcurrency).map(wanted, async (list) => {
    const ref = shard.lists[list]!;
    const parts = await Promise.all(storedBlobs(ref).map((blob) => readListBlob(storage, blob, dimension)));
    const masked = maskedSlots(parts);
    const live = parts.flatMap((part, p) => part.entries.filter((_, slot) => !masked[p]!.has(slot)));
    index.admit(list, live);
    const base = ref.key && ref.count > 0 ? parts[0]!.entries : [];
    shard.members[list] = {
      live: new Map(live.map((entry) => [entry.seq, entry.id])),
      base: new Map(base.map((entry) => [entry.seq, entry.id])),
    };
  });
}

/**
 * What merging the deltas of a list not held whole needs, without its base's
 * codes or vectors: the live entries of its deltas (each read whole: they are
 * small) and the base ids they mask (the base's ids alone).
 */
export async function readDeltasToMerge(
  storage: IndexStorage,
  ref: ListRef,
  dimension: number,
): Promise<{ entries: ListEntry[]; baseMasked: string[] }> {
  const hasBase = ref.key !== '' && ref.count > 0;
  const readBaseIds = async () => {
    const bytes = await readBlobRange(storage, ref, ...membersRange(ref, dimension, false));
    return decodeMembers(ref.key, bytes, ref, 0, dimension, false);
  };
  const [base, ...deltas] = await Promise.all([
    hasBase ? readBaseIds() : { ids: [], masked: [] },
    ...(ref.deltas ?? []).filter((delta) => delta.key).map((delta) => readListBlob(storage, delta, dimension)),
  ]);
  const masked = maskedSlots([base, ...deltas]);
  return {
    entries: deltas.flatMap((delta, d) => delta.entries.filter((_, slot) => !masked[d + 1]!.has(slot))),
    baseMasked: base.ids.filter((_, slot) => masked[0]!.has(slot)),
  };
}
