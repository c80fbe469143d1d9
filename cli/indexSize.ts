import { pipelineConfig } from '../functions/config/index.js';
import type { ObjectStore } from '../functions/domain/items/index.js';
import { allShards, indexKeys, parseIndexManifest } from '../functions/domain/vq/index.js';

export interface IndexSize {
  shards: number;
  /** Shards with a manifest; the others have had no item yet. */
  builtShards: number;
  liveItems: number;
  segments: number;
  /** Codebooks and posting segments named by the manifests. */
  bytes: number;
}

/** What the retrieval index holds, from each shard's manifest (index/<shard>/manifest.json). */
export async function indexSize(store: ObjectStore): Promise<IndexSize> {
  const shards = allShards(pipelineConfig.vq.shards);
  const manifests = await Promise.all(
    shards.map(async (shard) => {
      const key = indexKeys.manifest(shard);
      const bytes = await store.getBytes(key);
      return bytes && parseIndexManifest(key, bytes);
    }),
  );
  const size: IndexSize = { shards: shards.length, builtShards: 0, liveItems: 0, segments: 0, bytes: 0 };
  for (const manifest of manifests) {
    if (!manifest) continue;
    size.builtShards += 1;
    size.liveItems += manifest.liveItems;
    size.segments += manifest.segments.length;
    size.bytes += manifest.codebook.bytes + manifest.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  }
  return size;
}
