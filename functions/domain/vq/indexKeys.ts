import { createHash } from 'node:crypto';
import { pipelineConfig } from '../../config/index.js';
import { InvalidVqParameterError } from './errors.js';

/**
 * index/<shard>/manifest.json                      the small mutable root (conditional writes)
 * index/<shard>/codebook/<generation>-<hash>.vqcb   centroids + drift of one generation
 * index/<shard>/segments/<generation>-<kind>-<part>-<hash>.vqsg   immutable posting segments
 * Objects other than the manifest are content-addressed, so a retried commit rewrites the same keys.
 */
export const indexKeys = {
  shardPrefix: (shard: string) => `${pipelineConfig.vq.prefix}${checkShard(shard)}/`,
  manifest: (shard: string) => `${indexKeys.shardPrefix(shard)}manifest.json`,
  codebook: (shard: string, generation: number, bytes: Uint8Array) =>
    `${indexKeys.shardPrefix(shard)}codebook/${pad(generation)}-${contentHash(bytes)}.vqcb`,
  segment: (shard: string, generation: number, kind: 'base' | 'delta', part: number, bytes: Uint8Array) =>
    `${indexKeys.shardPrefix(shard)}segments/${pad(generation)}-${kind}-${String(part).padStart(4, '0')}-${contentHash(bytes)}.vqsg`,
} as const;

function checkShard(shard: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(shard)) throw new InvalidVqParameterError('shard', 'lower-case letters, digits and dashes', shard);
  return shard;
}

const pad = (generation: number) => String(generation).padStart(12, '0');
const contentHash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
