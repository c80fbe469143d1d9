import { clearErrorRecord, forgetSource, type IngestDeps, type RemoveOutcome } from '../ingest/index.js';

/** An upload was deleted: its item goes with its last source, its error record goes too. */
export async function removeUpload(deps: Pick<IngestDeps, 'store' | 'indexUpdates'>, key: string): Promise<RemoveOutcome> {
  const { store } = deps;
  // Events can arrive out of order: if the key exists again, a newer upload owns it.
  if (await store.head(key)) return { outcome: 'stale', reason: 'the key was uploaded again after this delete' };
  await clearErrorRecord(store, key);
  const unlinked = await forgetSource(deps, key);
  return unlinked ? { outcome: 'removed', ...unlinked } : { outcome: 'unknown-key' };
}
