export { applyIndexUpdates, type AppliedUpdates, type IndexerDeps, type ShardCommit, type ShardFailure } from './applyIndexUpdates.js';
export { SimilarityIndex, type SimilarityIndexOptions } from './similarityIndex.js';
