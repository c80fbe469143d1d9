import { readBlobScanPart, readPage } from './blobReads.js';
import { indexKeys } from './indexKeys.js';
import { isLegacyManifest, parseStoredManifest } from './indexManifest.js';
import { loadIndexShard } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { decodeListScanPart, storedBlobs } from './listCodec.js';
import { liveEntries } from './listParts.js';

/**
 * The ids one shard holds, read list by list from the scan parts of its base
 * and delta blobs (a range read each: codes and ids, never the vectors), so
 * the memory is the ids, not the index. A shard still in the schema-1 layout
 * is loaded whole.
 */
export async function indexMembers(storage: IndexStorage, shard: string): Promise<string[]> {
  const key = indexKeys.manifest(shard);
  const stored = await storage.get(key);
  if (!stored) return [];
  const manifest = parseStoredManifest(key, stored.bytes);
  if (isLegacyManifest(manifest)) return [...((await loadIndexShard(storage, shard))?.index.entries() ?? [])].map((entry) => entry.id);
  const ids: string[] = [];
  for (const pageRef of manifest.pages) {
    for (const list of (await readPage(storage, pageRef)).lists) {
      const parts = await Promise.all(
        storedBlobs(list).map(async (blob) => decodeListScanPart(blob.key, await readBlobScanPart(storage, blob))),
      );
      ids.push(...liveEntries(parts, (part, slot) => part.ids[slot]!));
    }
  }
  return ids;
}
