import { itemKeys, putJson, type ErrorRecord, type ObjectStore } from '../../domain/items/index.js';

export async function writeErrorRecord(
  store: ObjectStore,
  key: string,
  failure: Pick<ErrorRecord, 'code' | 'reason' | 'bytes' | 'uploadVersion'>,
  now: Date,
): Promise<void> {
  const record: ErrorRecord = { schemaVersion: 1, key, ...failure, recordedAt: now.toISOString() };
  await putJson(store, itemKeys.errorRecord(key), record);
}

export function clearErrorRecord(store: ObjectStore, key: string): Promise<void> {
  return store.deleteKeys([itemKeys.errorRecord(key)]);
}
