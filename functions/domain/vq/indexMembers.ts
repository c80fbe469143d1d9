import { indexKeys } from './indexKeys.js';
import { parseStoredManifest } from './indexManifest.js';
import { loadIndexShard } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { decodeListScanPart, decodePage } from './listCodec.js';

/**
 * The ids one shard holds, read list by list from the lists' scan parts (a
 * range read each: codes and ids, never the vectors), so the memory is the
 * ids, not the index. A shard still in the schema-1 layout is loaded whole.
 */
export async function indexMembers(storage: IndexStorage, shard: string): Promise<string[]> {
  const key = indexKeys.manifest(shard);
  const stored = await storage.get(key);
  if (!stored) return [];
  const manifest = parseStoredManifest(key, stored.bytes);
  if (manifest.schemaVersion !== 2) return [...((await loadIndexShard(storage, shard))?.index.entries() ?? [])].map((entry) => entry.id);
  const ids: string[] = [];
  for (const page of manifest.pages) {
    const pageBytes = await storage.get(page.key);
    if (!pageBytes) throw new Error(`${page.key}, named by ${key}, is missing`);
    for (const list of decodePage(page.key, pageBytes.bytes).lists) {
      if (!list.key || list.count === 0) continue;
      const scan = await storage.getRange(list.key, 0, list.scanBytes);
      if (!scan) throw new Error(`${list.key}, named by ${page.key}, is missing`);
      ids.push(...decodeListScanPart(list.key, scan).ids);
    }
  }
  return ids;
}
