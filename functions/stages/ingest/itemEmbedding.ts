import { embedderKey, encodeEmbedding, type EmbedderInfo } from '../../domain/embed/index.js';
import { itemKeys, type EmbeddingRef, type ObjectStore } from '../../domain/items/index.js';
import type { IngestDeps } from './types.js';

/** Stores an item's embedding at items/<itemId>/embeddings/<embedder key>.f32 and returns what its manifest records. */
export async function storeItemEmbedding(
  store: ObjectStore,
  itemId: string,
  vector: Float32Array,
  embedder: EmbedderInfo,
): Promise<EmbeddingRef> {
  const key = itemKeys.embedding(itemId, embedderKey(embedder));
  await store.put(key, encodeEmbedding(vector), { contentType: 'application/octet-stream' });
  return { key, name: embedder.name, version: embedder.version, dimension: embedder.dimension };
}

/**
 * The item's embedding is stored: it enters the retrieval index (the layers may
 * still be rendering), carrying the vector where the caller has it so the
 * indexer need not read it back. Sent again on every re-delivery and duplicate
 * upload, so an upsert lost on the way is never lost for good; the indexer
 * makes repeats a no-op.
 */
export async function announceToIndex(
  deps: Pick<IngestDeps, 'indexUpdates'>,
  itemId: string,
  embedded?: { vector: Float32Array; embedder: EmbedderInfo },
): Promise<void> {
  const vector = embedded && { embedderKey: embedderKey(embedded.embedder), values: embedded.vector };
  await deps.indexUpdates?.send([{ op: 'upsert', itemId, ...(vector ? { vector } : {}) }]);
}
