// onnxruntime-node (288 MB, loaded at import) is behind its own entry, ./onnx.ts, so that this one never loads it.
export { createDefaultEmbedder, computeDefaultEmbedding, defaultEmbedderFor, defaultEmbeddingDimension } from './defaultEmbedder.js';
export { defaultEmbeddingDesigns, currentDefaultEmbeddingDesign } from './constants.js';
export { mirrorEmbedding } from './mirrorOrientation.js';
export { decodeForEmbedding } from './decodeForEmbedding.js';
export { poolEmbeddings } from './poolEmbeddings.js';
export { encodeEmbedding, decodeEmbedding } from './embeddingBytes.js';
export { embedderKey, sameEmbedder } from './embedderKey.js';
export { EmbedError, InvalidEmbedParameterError, OnnxModelError } from './errors.js';
export type * from './types.js';
