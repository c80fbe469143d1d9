import { pipelineConfig } from '../../config/index.js';
import { isUploadKey, type ObjectStore } from '../../domain/items/index.js';
import { currentUploadOutcome } from '../ingest/index.js';

/** Uploads checked at once: each check is a few small reads, so a sweep is bound by round trips, not work. */
const checkConcurrency = 16;

/**
 * Uploads whose current version ended as neither a complete item nor an error
 * record: their event was lost (a crash, a restart, a dropped notification),
 * a crash left the item 'rendering', or the key was overwritten and its new
 * bytes have no outcome yet. Re-enqueueing them is safe because ingest is
 * idempotent and completes a 'rendering' item. Yielded in listing order.
 */
export async function* findUnprocessedUploads(store: ObjectStore): AsyncIterable<string> {
  let pending: string[] = [];
  for await (const key of store.listKeys(pipelineConfig.prefixes.uploads)) {
    if (!isUploadKey(key)) continue;
    pending.push(key);
    if (pending.length < checkConcurrency) continue;
    yield* await withoutOutcome(store, pending);
    pending = [];
  }
  yield* await withoutOutcome(store, pending);
}

async function withoutOutcome(store: ObjectStore, keys: readonly string[]): Promise<string[]> {
  const outcomes = await Promise.all(keys.map((key) => currentUploadOutcome(store, key)));
  return keys.filter((_, index) => outcomes[index] === undefined);
}
