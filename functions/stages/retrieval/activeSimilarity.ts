import type { Embedder, EmbedderInfo } from '../../domain/embed/index.js';
import { scopedIndexStorage, type IndexStorage } from '../../domain/vq/index.js';
import { isGenerationOf, readActiveGeneration, type IndexGeneration } from './activeIndex.js';
import { SimilarityIndex, type SimilarityIndexOptions } from './similarityIndex.js';

export interface ActiveSimilarityOptions extends SimilarityIndexOptions {
  /** What the pipeline embeds new items with. */
  configured: Embedder;
  /** An embedder that makes vectors like `info`'s, when this code can (earlier default versions); else image search waits for the backfill. */
  embedderFor: (info: EmbedderInfo) => Embedder | undefined;
}

/** The index that answers now, and how to embed an image to search it. */
export interface ActiveRetrieval {
  generation: IndexGeneration;
  index: SimilarityIndex;
  /** undefined when no embedder here makes this index's vectors: search by image is unavailable until the backfill switches. */
  queryEmbedder: Embedder | undefined;
}

/**
 * The query side across embedders: follows index/active.json (checked at most
 * every refreshMs, like the shards' manifests) and, when a backfill switches
 * it, starts searching the new index with a fresh list cache.
 */
export class ActiveSimilarity {
  private active: ActiveRetrieval | undefined;
  private checkedAtMs = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly storage: IndexStorage,
    private readonly options: ActiveSimilarityOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async current(): Promise<ActiveRetrieval> {
    if (this.active && this.now() - this.checkedAtMs < this.options.refreshMs) return this.active;
    const { configured, shards } = this.options;
    const generation = await readActiveGeneration(this.storage, configured, shards);
    this.checkedAtMs = this.now();
    if (this.active?.generation.root !== generation.root) {
      this.active = {
        generation,
        index: new SimilarityIndex(scopedIndexStorage(this.storage, generation.root), this.options),
        queryEmbedder: isGenerationOf(generation, configured) ? configured : this.options.embedderFor(generation.embedder),
      };
    }
    return this.active;
  }
}
