import { pipelineConfig } from '../../config/index.js';
import type { IndexStorage } from './indexStorage.js';

/**
 * One embedder's index: the same shards, manifests and lists, kept under
 * index/<root>/ instead of index/. The index code names its keys as if at
 * index/; this moves them, so the writer and the searchers need not know
 * which embedder they serve. An empty root is the layout before indexes
 * were kept per embedder (index/<shard>/…), still read until a backfill moves on.
 */
export function scopedIndexStorage(storage: IndexStorage, root: string): IndexStorage {
  if (root === '') return storage;
  const scoped = (key: string) => scopedIndexKey(key, root);
  return {
    get: (key) => storage.get(scoped(key)),
    getIfChanged: (key, etag) => storage.getIfChanged(scoped(key), etag),
    getRange: (key, start, end) => storage.getRange(scoped(key), start, end),
    put: (key, bytes, contentType, condition) => storage.put(scoped(key), bytes, contentType, condition),
    delete: (keys) => storage.delete(keys.map(scoped)),
  };
}

/** Where `key` (named as if under index/) is kept in the index under index/<root>/. */
export function scopedIndexKey(key: string, root: string): string {
  const { prefix } = pipelineConfig.vq;
  return root !== '' && key.startsWith(prefix) ? `${prefix}${root}/${key.slice(prefix.length)}` : key;
}
