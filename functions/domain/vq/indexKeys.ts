import { createHash } from 'node:crypto';
import { pipelineConfig } from '../../config/index.js';
import { InvalidVqParameterError } from './errors.js';

/**
 * index/active.json                                           which embedder's index answers queries
 * Each embedder's index is under index/<embedder key>/ (scopedIndexStorage), laid out as:
 * index/<shard>/manifest.json                                  the small mutable root (conditional writes)
 * index/<shard>/pages/<page>-<generation>-<hash>.vqpg           a page of centroids and the list objects they own
 * index/<shard>/lists/<list>-<generation>-<hash>.vqls           one posting list: codes, ids, then vectors
 * Objects other than the manifest are immutable and content-addressed, so a retried commit rewrites the same keys.
 */
export const indexKeys = {
  /** index/active.json: which embedder's index answers queries (functions/stages/retrieval/activeIndex.ts). */
  active: () => `${pipelineConfig.vq.prefix}active.json`,
  shardPrefix: (shard: string) => `${pipelineConfig.vq.prefix}${checkShard(shard)}/`,
  manifest: (shard: string) => `${indexKeys.shardPrefix(shard)}manifest.json`,
  page: (shard: string, page: number, generation: number, bytes: Uint8Array) =>
    `${indexKeys.shardPrefix(shard)}pages/${String(page).padStart(5, '0')}-${pad(generation)}-${contentHash(bytes)}.vqpg`,
  list: (shard: string, list: number, generation: number, bytes: Uint8Array) =>
    `${indexKeys.shardPrefix(shard)}lists/${String(list).padStart(6, '0')}-${pad(generation)}-${contentHash(bytes)}.vqls`,
} as const;

function checkShard(shard: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(shard)) throw new InvalidVqParameterError('shard', 'lower-case letters, digits and dashes', shard);
  return shard;
}

const pad = (generation: number) => String(generation).padStart(12, '0');
const contentHash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
