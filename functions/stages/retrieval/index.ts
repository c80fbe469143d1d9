export { applyIndexUpdates } from './applyIndexUpdates.js';
export { SimilarityIndex } from './similarityIndex.js';
export { ActiveSimilarity } from './activeSimilarity.js';
export { activateGeneration, generationOf, pinActiveGeneration, readActiveGeneration } from './activeIndex.js';
export { backfillItem, type BackfillOutcome } from './backfillItem.js';
