import type { EmbedderInfo } from '../embed/index.js';
// Not through embed/index.js, which also loads onnxruntime-node: see functions/video/processVideo.ts.
import { encodeEmbedding } from '../embed/embeddingBytes.js';
import { itemKeys, type ObjectStore } from '../items/index.js';

/**
 * HOOK for issue 3 (embeddings + index queue): stores a video's pooled
 * keyframe embedding at items/<itemId>/embedding.f32, as the storage contract
 * names it. When ingest's own embedding writer and index-upsert port land,
 * this becomes a call to them, so video items reach the index like images.
 */
export async function storeVideoEmbedding(store: ObjectStore, itemId: string, embedding: Float32Array, embedder: EmbedderInfo): Promise<string> {
  const key = `${itemKeys.folder(itemId)}embedding.f32`;
  await store.put(key, encodeEmbedding(embedding), { contentType: `application/octet-stream; model=${embedder.name}@${embedder.version}` });
  return key;
}
