import { pipelineConfig } from '../../config/index.js';
import {
  allShards,
  ListCache,
  resolveSearchParams,
  ShardSearcher,
  type CachedList,
  type IndexStorage,
  type SearchHit,
} from '../../domain/vq/index.js';

export interface SimilarityIndexOptions {
  shards: number;
  /** A shard is checked against its manifest at most this often (bounded staleness, cheap queries). */
  refreshMs: number;
  nprobe: number;
  /** Candidates re-ranked on their float32 vectors (default: the configured search default). */
  rerank?: number;
  /** Bytes of posting lists and re-rank vectors kept across queries, all shards together. */
  listCacheBytes: number;
  now?: () => number;
}

/**
 * The query side of the retrieval index: per shard, the codebook and the
 * lists its queries probed (one byte-bounded cache for all shards), searched
 * together and merged. Memory follows the cache size, not the item count.
 */
export class SimilarityIndex {
  private readonly shards: ShardSearcher[];
  readonly cache: ListCache<CachedList>;

  constructor(
    storage: IndexStorage,
    private readonly options: SimilarityIndexOptions,
  ) {
    this.cache = new ListCache(options.listCacheBytes);
    const now = options.now ?? Date.now;
    this.shards = allShards(options.shards).map(
      (shard) =>
        new ShardSearcher(storage, {
          shard,
          refreshMs: options.refreshMs,
          cache: this.cache,
          fetchConcurrency: pipelineConfig.vq.storage.fetchConcurrency,
          now,
        }),
    );
  }

  /** The k nearest items by inner product, best first, across all shards. */
  async search(vector: Float32Array, k: number): Promise<SearchHit[]> {
    const { nprobe, rerank } = this.options;
    const params = resolveSearchParams({ k, nprobe, ...(rerank === undefined ? {} : { rerank }) });
    const hits = (await Promise.all(this.shards.map((shard) => shard.search(vector, params)))).flat();
    return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, k);
  }
}
