import { allShards, loadIndexShard, type IndexStorage, type LoadedIndex, type SearchHit } from '../../domain/vq/index.js';

export interface SimilarityIndexOptions {
  shards: number;
  /** A cached shard is checked against its manifest at most this often (bounded staleness, cheap queries). */
  refreshMs: number;
  nprobe: number;
  now?: () => number;
}

/**
 * The query side of the retrieval index: every shard loaded once and cached
 * (codebook and segments), refreshed incrementally when its manifest changes,
 * searched together and merged.
 */
export class SimilarityIndex {
  private readonly cached = new Map<string, { loaded: LoadedIndex | undefined; checkedAt: number }>();
  private readonly now: () => number;

  constructor(
    private readonly storage: IndexStorage,
    private readonly options: SimilarityIndexOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The k nearest items by inner product, best first, across all shards. */
  async search(vector: Float32Array, k: number): Promise<SearchHit[]> {
    const shards = await Promise.all(allShards(this.options.shards).map((shard) => this.shard(shard)));
    const hits = shards.flatMap((loaded) => (loaded ? loaded.index.search(vector, { k, nprobe: this.options.nprobe }) : []));
    return hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, k);
  }

  private async shard(shard: string): Promise<LoadedIndex | undefined> {
    const entry = this.cached.get(shard);
    if (entry && this.now() - entry.checkedAt < this.options.refreshMs) return entry.loaded;
    const loaded = await loadIndexShard(this.storage, shard, entry?.loaded);
    this.cached.set(shard, { loaded, checkedAt: this.now() });
    return loaded;
  }
}
