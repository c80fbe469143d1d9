export { applyIndexUpdates } from './applyIndexUpdates.js';
export { SimilarityIndex } from './similarityIndex.js';
