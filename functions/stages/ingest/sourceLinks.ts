import { getJson, itemKeys, putJson, type ObjectStore } from '../../domain/items/index.js';

/** sources/<key hash>.json */
export interface SourceRecord {
  key: string;
  itemId: string;
  /** The version of the upload that was linked (uploadVersion); absent on records made before it was recorded. */
  uploadVersion?: string;
}

export function sourceRecordFor(store: ObjectStore, key: string): Promise<SourceRecord | undefined> {
  return getJson<SourceRecord>(store, itemKeys.sourceRecord(key));
}

export async function itemIdForSource(store: ObjectStore, key: string): Promise<string | undefined> {
  return (await sourceRecordFor(store, key))?.itemId;
}

/** Records that this version of `key` produced `itemId`, in both directions. Idempotent. */
export async function linkSource(store: ObjectStore, key: string, itemId: string, uploadVersion: string): Promise<void> {
  const record: SourceRecord = { key, itemId, uploadVersion };
  await store.put(itemKeys.sourceMarker(itemId, key), key, { contentType: 'text/plain; charset=utf-8' });
  await putJson(store, itemKeys.sourceRecord(key), record);
}

/**
 * Forgets that `key` produced its item; when it was the item's last source the
 * item is deleted, manifest first, so a half-deleted item never looks complete.
 */
export async function unlinkSource(store: ObjectStore, key: string): Promise<{ itemId: string; itemDeleted: boolean } | undefined> {
  const itemId = await itemIdForSource(store, key);
  if (itemId === undefined) return undefined;
  await store.deleteKeys([itemKeys.sourceMarker(itemId, key)]);
  const remainingSources = await firstKey(store.listKeys(itemKeys.sourcesFolder(itemId)));
  let itemDeleted = false;
  if (remainingSources === undefined) {
    const itemObjects: string[] = [];
    for await (const objectKey of store.listKeys(itemKeys.folder(itemId))) itemObjects.push(objectKey);
    const manifestKey = itemKeys.manifest(itemId);
    await store.deleteKeys([manifestKey, ...itemObjects.filter((objectKey) => objectKey !== manifestKey)]);
    itemDeleted = true;
  }
  await store.deleteKeys([itemKeys.sourceRecord(key)]);
  return { itemId, itemDeleted };
}

async function firstKey(keys: AsyncIterable<string>): Promise<string | undefined> {
  for await (const key of keys) return key;
  return undefined;
}
