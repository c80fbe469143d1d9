import { pipelineConfig } from '../config/index.js';
import { isUploadKey, itemKeys, type ObjectStore } from '../items/index.js';
import { itemIdForSource } from './sourceLinks.js';

/**
 * Uploads that ended as neither an item nor an error record: their event was
 * lost (a crash, a restart, a dropped notification). Re-enqueueing them is
 * safe because ingest is idempotent.
 */
export async function* findUnprocessedUploads(store: ObjectStore): AsyncIterable<string> {
  for await (const key of store.listKeys(pipelineConfig.prefixes.uploads)) {
    if (!isUploadKey(key)) continue;
    if (await store.head(itemKeys.errorRecord(key))) continue;
    const itemId = await itemIdForSource(store, key);
    if (itemId !== undefined && (await store.head(itemKeys.manifest(itemId)))) continue;
    yield key;
  }
}
