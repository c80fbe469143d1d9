import { pipelineConfig } from '../../config/index.js';
import { InvalidVqParameterError } from './errors.js';

/**
 * index/active.json                                           which embedder's index answers queries
 * Each embedder's index is under index/<embedder key>/ (scopedIndexStorage), laid out as:
 * index/<shard>/manifest.json                                  the small mutable root (conditional writes)
 * index/<shard>/packs/<generation>-<nonce>-<n>.vqpk             what one commit wrote: lists, deltas and pages, packed
 * Objects other than the manifest are immutable; a pack's key is new for every commit attempt.
 * Schema 2 (read, and moved into packs by its next commit) kept each page and list in an object of its own:
 * index/<shard>/pages/<page>-<generation>-<hash>.vqpg, index/<shard>/lists/<list>-<generation>-<hash>.vqls.
 */
export const indexKeys = {
  /** index/active.json: which embedder's index answers queries (functions/stages/retrieval/activeIndex.ts). */
  active: () => `${pipelineConfig.vq.prefix}active.json`,
  shardPrefix: (shard: string) => `${pipelineConfig.vq.prefix}${checkShard(shard)}/`,
  manifest: (shard: string) => `${indexKeys.shardPrefix(shard)}manifest.json`,
  pack: (shard: string, generation: number, nonce: string, pack: number) =>
    `${indexKeys.shardPrefix(shard)}packs/${pad(generation)}-${nonce}-${String(pack).padStart(4, '0')}.vqpk`,
} as const;

function checkShard(shard: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(shard)) throw new InvalidVqParameterError('shard', 'lower-case letters, digits and dashes', shard);
  return shard;
}

const pad = (generation: number) => String(generation).padStart(12, '0');
