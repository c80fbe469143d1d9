import { getJson, itemKeys, type ErrorRecord, type ItemManifest, type ObjectInfo, type ObjectStore } from '../../domain/items/index.js';
import { sourceRecordFor } from './sourceLinks.js';
import { isAboutVersion, uploadVersion } from './uploadVersion.js';

/**
 * What the upload as it is now (this version of the key) ended as: a complete
 * item, an error record, or nothing yet (its event is queued, being retried,
 * or lost). Pass `upload` when it was just read, to save a HEAD.
 */
export async function currentUploadOutcome(store: ObjectStore, key: string, upload?: ObjectInfo): Promise<'item' | 'error' | undefined> {
  const info = upload ?? (await store.head(key));
  if (!info) return undefined;
  const version = uploadVersion(info);
  const error = await getJson<ErrorRecord>(store, itemKeys.errorRecord(key));
  if (error && isAboutVersion(error.uploadVersion, version)) return 'error';
  const source = await sourceRecordFor(store, key);
  if (!source || !isAboutVersion(source.uploadVersion, version)) return undefined;
  return (await getJson<ItemManifest>(store, itemKeys.manifest(source.itemId)))?.status === 'ready' ? 'item' : undefined;
}
