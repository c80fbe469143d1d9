import { pipelineConfig } from '../config/index.js';
import { isUploadKey, type ObjectStore } from '../items/index.js';
import { currentUploadOutcome } from './uploadOutcome.js';

/**
 * Uploads whose current version ended as neither a complete item nor an error
 * record: their event was lost (a crash, a restart, a dropped notification),
 * a crash left the item 'rendering', or the key was overwritten and its new
 * bytes have no outcome yet. Re-enqueueing them is safe because ingest is
 * idempotent and completes a 'rendering' item.
 */
export async function* findUnprocessedUploads(store: ObjectStore): AsyncIterable<string> {
  for await (const key of store.listKeys(pipelineConfig.prefixes.uploads)) {
    if (!isUploadKey(key)) continue;
    if ((await currentUploadOutcome(store, key)) === undefined) yield key;
  }
}
