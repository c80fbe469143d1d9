import { readBlobScanPart, readPage } from './blobReads.js';
import { indexKeys } from './indexKeys.js';
import { isLegacyManifest, parseStoredManifest } from './indexManifest.js';
import { loadIndexShard } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { decodeListScanPart, storedBlobs } from './listCodec.js';

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
      const [base, delta] = await Promise.all(
        storedBlobs(list).map(async (blob) => decodeListScanPart(blob.key, await readBlobScanPart(storage, blob))),
      );
      // A list with only a delta has no base: the one blob read is the delta.
      const parts = list.key && list.count > 0 ? { base, delta } : { base: undefined, delta: base };
      const masked = new Set(parts.delta?.masked);
      ids.push(...(parts.base?.ids ?? []).filter((id) => !masked.has(id)), ...(parts.delta?.ids ?? []));
    }
  }
  return ids;
}
