export { applyIndexUpdates, type IndexerDeps, type ShardCommit } from './applyIndexUpdates.js';
export { SimilarityIndex, type SimilarityIndexOptions } from './similarityIndex.js';
