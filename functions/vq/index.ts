export { StreamingVqIndex } from './vectorIndex.js';
export { Codebook, trainCodebook, selectTop, type TrainOptions } from './quantizer.js';
export { MemoryPostings, type Postings } from './postings.js';
export { searchLists, probeLists, type ScoredItem } from './listScan.js';
export { BlockScorer } from './blockScorer.js';
export { QuantizedQuery, codeBytesFor, scanBytesPerVector } from './scalarCodes.js';
export { resolveSearchParams, type SearchParams } from './searchParams.js';
export { IndexShardWriter, type IndexOperation, type IndexShardWriterOptions, type CommitResult, type StorageLimits } from './indexShardWriter.js';
export { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
export { indexKeys } from './indexKeys.js';
export { shardOfItem, allShards } from './shards.js';
export { parseIndexManifest, type IndexManifest, type SegmentRef, type EmbedderRef } from './indexManifest.js';
export type { IndexStorage, StoredObject, WriteCondition } from './indexStorage.js';
export { encodeSegment, decodeSegment, encodeCodebook, decodeCodebook, type SegmentKind, type DecodedSegment, type DecodedCodebook } from './segmentCodec.js';
export { dot, scoreRows, normalizeInPlace } from './dotProducts.js';
export { TopK } from './topK.js';
export { createPrng, type Prng } from './prng.js';
export { defaultSearchParams, defaultIndexConfig, indexManifestSchemaVersion } from './constants.js';
export {
  VqError,
  InvalidVqParameterError,
  DimensionMismatchError,
  CorruptIndexDataError,
  PreconditionFailedError,
  CommitConflictError,
  EmbedderMismatchError,
} from './errors.js';
export type * from './types.js';
