import type { ObjectStore } from '../../domain/items/index.js';
import { writeErrorRecord } from './errorRecords.js';
import { currentUploadOutcome } from './uploadOutcome.js';
import { uploadVersion } from './uploadVersion.js';

/**
 * On an event's last receive, before the dead-letter queue takes it: one error
 * record for the upload, unless another delivery of the same event already
 * gave this version an outcome (an item, or a specific rejection), which a
 * generic "retries exhausted" must not contradict.
 */
export async function recordRetriesExhausted(
  store: ObjectStore,
  key: string,
  reason: string,
  now: Date,
): Promise<'recorded' | 'already-settled'> {
  const upload = await store.head(key);
  if (upload && (await currentUploadOutcome(store, key, upload))) return 'already-settled';
  const version = upload ? { uploadVersion: uploadVersion(upload) } : {};
  await writeErrorRecord(store, key, { code: 'retries-exhausted', reason, bytes: upload?.bytes ?? null, ...version }, now);
  return 'recorded';
}
