export { StreamingVqIndex } from './vectorIndex.js';
export { Codebook, trainCodebook } from './quantizer.js';
export { MemoryPostings } from './postings.js';
export { searchLists, probeLists } from './listScan.js';
export { BlockScorer } from './blockScorer.js';
export { QuantizedQuery, codeBytesFor, scanBytesPerVector } from './scalarCodes.js';
export { defaultSearchParams, resolveSearchParams } from './searchParams.js';
export { IndexShardWriter, type IndexOperation, type CommitResult, type StorageLimits } from './indexShardWriter.js';
export { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
export { indexMembers } from './indexMembers.js';
export { ShardSearcher, type CachedList } from './shardSearcher.js';
export { ListCache } from './listCache.js';
export { indexKeys } from './indexKeys.js';
export { scopedIndexKey, scopedIndexStorage } from './scopedIndexStorage.js';
export { shardOfItem, allShards, groupByShard } from './shards.js';
export { parseStoredManifest, isLegacyManifest } from './indexManifest.js';
export type { IndexStorage, StoredObject, WriteCondition } from './indexStorage.js';
export { encodeList, decodeList, decodeListScanPart, encodePage, decodePage, storedBlobs, blobName, liveCount } from './listCodec.js';
export type { BlobRef, ListRef } from './listCodec.js';
export { scoreRows, normalizeInPlace } from './dotProducts.js';
export { createPrng, type Prng } from './prng.js';
export { defaultIndexConfig } from './constants.js';
export {
  InvalidVqParameterError,
  DimensionMismatchError,
  CorruptIndexDataError,
  PreconditionFailedError,
  CommitConflictError,
  ListsNotInMemoryError,
} from './errors.js';
export type * from './types.js';
