export { configuredEmbedder, configuredEmbedderKey, type EmbedderLoader } from './configuredEmbedder.js';
export { EmbeddingModelLoadError } from './errors.js';
