import { pipelineConfig } from '../config/index.js';
import { getJson, isUploadKey, itemKeys, type ItemManifest, type ObjectStore } from '../items/index.js';
import { itemIdForSource } from './sourceLinks.js';

/**
 * Uploads that ended as neither a complete item nor an error record: their
 * event was lost (a crash, a restart, a dropped notification), or a crash
 * left the item 'rendering'. Re-enqueueing them is safe because ingest is
 * idempotent and completes a 'rendering' item.
 */
export async function* findUnprocessedUploads(store: ObjectStore): AsyncIterable<string> {
  for await (const key of store.listKeys(pipelineConfig.prefixes.uploads)) {
    if (!isUploadKey(key)) continue;
    if (await store.head(itemKeys.errorRecord(key))) continue;
    const itemId = await itemIdForSource(store, key);
    if (itemId !== undefined && (await getJson<ItemManifest>(store, itemKeys.manifest(itemId)))?.status === 'ready') continue;
    yield key;
  }
}
