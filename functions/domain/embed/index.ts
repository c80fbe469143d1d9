// onnxruntime-node (288 MB, loaded at import) is behind its own entry, ./onnx.ts, so that this one never loads it.
export { createDefaultEmbedder, computeDefaultEmbedding, defaultEmbeddingDimension } from './defaultEmbedder.js';
export { decodeForEmbedding } from './decodeForEmbedding.js';
export { poolEmbeddings } from './poolEmbeddings.js';
export { encodeEmbedding, decodeEmbedding } from './embeddingBytes.js';
export { EmbedError, InvalidEmbedParameterError, OnnxModelError } from './errors.js';
export type * from './types.js';
