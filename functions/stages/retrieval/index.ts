export { applyIndexUpdates } from './applyIndexUpdates.js';
export { SimilarityIndex } from './similarityIndex.js';
export { ActiveSimilarity, type ActiveRetrieval } from './activeSimilarity.js';
export { activateGeneration, generationOf, pinActiveGeneration, readActiveGeneration, type IndexGeneration } from './activeIndex.js';
export { backfillItem, type BackfillDeps, type BackfillOutcome } from './backfillItem.js';
