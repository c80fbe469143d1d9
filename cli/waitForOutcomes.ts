import { currentUploadOutcome } from '../functions/stages/ingest/index.js';
import { getJson, itemKeys, type ErrorRecord, type ObjectStore } from '../functions/domain/items/index.js';

export type UploadOutcome =
  | { key: string; outcome: 'item' }
  | { key: string; outcome: 'rejected'; code: string; reason: string }
  | { key: string; outcome: 'pending' };

const pollIntervalMs = 500;

/**
 * Polls until every upload is a ready item or an error record, or the time is
 * up (then the rest are 'pending'). Reads only the bucket, so it works the
 * same against the local mode and a deployed stack.
 */
export async function waitForOutcomes(
  store: ObjectStore,
  keys: readonly string[],
  options: { timeoutMs: number; onSettled?: (outcome: UploadOutcome) => void },
): Promise<UploadOutcome[]> {
  const deadline = Date.now() + options.timeoutMs;
  const settled = new Map<string, UploadOutcome>();
  while (settled.size < keys.length) {
    for (const key of keys) {
      if (settled.has(key)) continue;
      const outcome = await outcomeOf(store, key);
      if (outcome.outcome === 'pending') continue;
      settled.set(key, outcome);
      options.onSettled?.(outcome);
    }
    if (settled.size === keys.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
  return keys.map((key) => settled.get(key) ?? { key, outcome: 'pending' });
}

async function outcomeOf(store: ObjectStore, key: string): Promise<UploadOutcome> {
  const outcome = await currentUploadOutcome(store, key);
  if (outcome === 'item') return { key, outcome: 'item' };
  if (outcome !== 'error') return { key, outcome: 'pending' };
  const record = await getJson<ErrorRecord>(store, itemKeys.errorRecord(key));
  return { key, outcome: 'rejected', code: record?.code ?? 'unknown', reason: record?.reason ?? 'the error record could not be read' };
}
