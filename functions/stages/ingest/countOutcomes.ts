import { pipelineConfig } from '../../config/index.js';
import { itemKeys, type ObjectStore } from '../../domain/items/index.js';

export interface OutcomeCounts {
  uploads: number;
  items: number;
  errors: number;
}

/** Counts by listing (fine for a local bucket; a deployed catalog would keep counters). */
export async function countOutcomes(store: ObjectStore): Promise<OutcomeCounts> {
  const { prefixes } = pipelineConfig;
  const [uploads, items, errors] = await Promise.all([
    countKeys(store.listKeys(prefixes.uploads), (key) => !key.endsWith('/')),
    countKeys(store.listKeys(prefixes.items), (key) => itemKeys.itemIdFromManifestKey(key) !== undefined),
    countKeys(store.listKeys(prefixes.errors), () => true),
  ]);
  return { uploads, items, errors };
}

async function countKeys(keys: AsyncIterable<string>, matches: (key: string) => boolean): Promise<number> {
  let count = 0;
  for await (const key of keys) if (matches(key)) count += 1;
  return count;
}
