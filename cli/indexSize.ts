import { pipelineConfig } from '../functions/config/index.js';
import type { ObjectStore } from '../functions/domain/items/index.js';
import { allShards, indexKeys, isLegacyManifest, parseStoredManifest, scopedIndexKey } from '../functions/domain/vq/index.js';

export interface IndexSize {
  shards: number;
  /** Shards with a manifest; the others have had no item yet. */
  builtShards: number;
  liveItems: number;
  /** Centroids, each with its posting list. */
  lists: number;
  /** Codebook pages and posting lists (bases and deltas) named by the manifests. */
  bytes: number;
  /** Shards still in the schema-1 segment layout (their writer migrates them at its next commit). */
  legacyShards: number;
}

/** What one embedder's index holds (root: its folder under index/, '' for the layout before), from each shard's manifest. */
export async function indexSize(store: ObjectStore, root: string): Promise<IndexSize> {
  const shards = allShards(pipelineConfig.vq.shards);
  const manifests = await Promise.all(
    shards.map(async (shard) => {
      const key = scopedIndexKey(indexKeys.manifest(shard), root);
      const bytes = await store.getBytes(key);
      return bytes && parseStoredManifest(key, bytes);
    }),
  );
  const size: IndexSize = { shards: shards.length, builtShards: 0, liveItems: 0, lists: 0, bytes: 0, legacyShards: 0 };
  for (const manifest of manifests) {
    if (!manifest) continue;
    size.builtShards += 1;
    if (isLegacyManifest(manifest)) {
      size.legacyShards += 1;
      continue;
    }
    size.liveItems += manifest.liveItems;
    size.lists += manifest.clusters;
    for (const page of manifest.pages) size.bytes += page.bytes + page.listBytes;
  }
  return size;
}
