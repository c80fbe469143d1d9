import type { MediaRejectedError } from '../../domain/media/index.js';
import { getJson, itemKeys, type ItemManifest, type ObjectInfo } from '../../domain/items/index.js';
import { clearErrorRecord, writeErrorRecord } from './errorRecords.js';
import { itemIdForSource, linkSource, unlinkSource } from './sourceLinks.js';
import type { IngestDeps, IngestOutcome } from './types.js';
import { uploadVersion } from './uploadVersion.js';

/**
 * Before making an item from an upload: the key forgets an item its earlier
 * bytes made, and when the item for these bytes is already complete (another
 * key, or a re-delivery) the key is linked to it and nothing is made again.
 * Returns the item's manifest as stored, if any (a 'rendering' one is completed).
 */
export async function settleExistingItem(
  deps: Pick<IngestDeps, 'store' | 'indexUpdates'>,
  key: string,
  itemId: string,
  version: string,
): Promise<{ duplicate: true } | { duplicate: false; existing: ItemManifest | undefined }> {
  const { store } = deps;
  const previousItemId = await itemIdForSource(store, key);
  if (previousItemId !== undefined && previousItemId !== itemId) await forgetSource(deps, key);
  const existing = await getJson<ItemManifest>(store, itemKeys.manifest(itemId));
  if (existing?.status !== 'ready') return { duplicate: false, existing };
  await linkSource(store, key, itemId, version);
  await clearErrorRecord(store, key);
  return { duplicate: true };
}

/** The key now holds bytes that are no item: it forgets what it produced before, and one error record says why. */
export async function rejectUpload(
  deps: Pick<IngestDeps, 'store' | 'indexUpdates'>,
  key: string,
  error: MediaRejectedError,
  upload: ObjectInfo,
  now: Date,
): Promise<IngestOutcome> {
  await forgetSource(deps, key);
  await writeErrorRecord(
    deps.store,
    key,
    { code: error.code, reason: error.message, bytes: upload.bytes, uploadVersion: uploadVersion(upload) },
    now,
  );
  return { outcome: 'rejected', code: error.code, reason: error.message };
}

/** The key stops being a source of its item; when that was the item's last source the item is gone, and leaves the index too. */
export async function forgetSource(
  deps: Pick<IngestDeps, 'store' | 'indexUpdates'>,
  key: string,
): Promise<{ itemId: string; itemDeleted: boolean } | undefined> {
  const unlinked = await unlinkSource(deps.store, key);
  if (unlinked?.itemDeleted) await deps.indexUpdates?.send([{ op: 'delete', itemId: unlinked.itemId }]);
  return unlinked;
}
