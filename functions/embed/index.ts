export { createDefaultEmbedder, computeDefaultEmbedding, defaultEmbeddingDimension } from './defaultEmbedder.js';
export { createOnnxEmbedder, toInputTensor, type OnnxEmbedder } from './onnxEmbedder.js';
export { decodeForEmbedding, type DecodedForEmbedding } from './decodeForEmbedding.js';
export { poolEmbeddings } from './poolEmbeddings.js';
export { encodeEmbedding, decodeEmbedding } from './embeddingBytes.js';
export { defaultEmbedderName, defaultEmbedderVersion, defaultEmbeddingBlocks } from './constants.js';
export { EmbedError, InvalidEmbedParameterError, OnnxModelError } from './errors.js';
export type * from './types.js';
