import { InvalidVqParameterError } from './errors.js';

/**
 * The shard that owns an item: a stable function of its id (item ids are
 * hex content hashes, so shards fill evenly). Each shard has one writer, the
 * index queue's message group of the same name.
 */
export function shardOfItem(itemId: string, shards: number): string {
  return shardName(Number.parseInt(itemId.slice(0, 8), 16) % shards);
}

/** Every shard name, for queries that search them all. */
export function allShards(shards: number): string[] {
  if (!Number.isInteger(shards) || shards < 1) throw new InvalidVqParameterError('shards', 'a positive integer', shards);
  return Array.from({ length: shards }, (_, index) => shardName(index));
}

const shardName = (index: number) => `s${index}`;

/** Items by the shard that owns them, each shard's in their given order. */
export function groupByShard<T>(items: readonly T[], itemIdOf: (item: T) => string, shards: number): Map<string, T[]> {
  const byShard = new Map<string, T[]>();
  for (const item of items) {
    const shard = shardOfItem(itemIdOf(item), shards);
    const ofShard = byShard.get(shard);
    if (ofShard) ofShard.push(item);
    else byShard.set(shard, [item]);
  }
  return byShard;
}
