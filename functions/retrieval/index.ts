export { applyIndexUpdates, type AppliedUpdates, type IndexerDeps, type ReceivedUpdate, type ShardCommit, type ShardFailure } from './applyIndexUpdates.js';
export { SimilarityIndex, type SimilarityIndexOptions } from './similarityIndex.js';
