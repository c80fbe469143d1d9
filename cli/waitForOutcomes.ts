import { currentUploadOutcome } from '../functions/stages/ingest/index.js';
import { getJson, itemKeys, type ErrorRecord, type ObjectStore } from '../functions/domain/items/index.js';
import { isTransientFailure } from '../functions/adapters/store/index.js';
import { pipelineConfig } from '../functions/config/index.js';

export type UploadOutcome =
  | { key: string; outcome: 'item' }
  | { key: string; outcome: 'rejected'; code: string; reason: string }
  | { key: string; outcome: 'pending' };

const { pollIntervalMs, maxPollBackoffMs } = pipelineConfig.cli;

/**
 * Polls until every upload is a ready item or an error record, or the time is
 * up (then the rest are 'pending'). Reads only the bucket, so it works the
 * same against the local mode and a deployed stack. A poll that fails on the
 * way (a reset connection, a 5xx, throttling: a busy machine or service) is
 * made again after a backoff; only a failure that lasts to the deadline ends
 * the wait with that error.
 */
export async function waitForOutcomes(
  store: ObjectStore,
  keys: readonly string[],
  options: { timeoutMs: number; onSettled?: (outcome: UploadOutcome) => void },
): Promise<UploadOutcome[]> {
  const deadline = Date.now() + options.timeoutMs;
  const settled = new Map<string, UploadOutcome>();
  let backoffMs: number = pollIntervalMs;
  while (settled.size < keys.length) {
    let failure: unknown;
    for (const key of keys) {
      if (settled.has(key)) continue;
      let outcome: UploadOutcome;
      try {
        outcome = await outcomeOf(store, key);
      } catch (error) {
        if (!isTransientFailure(error)) throw error;
        failure = error;
        break;
      }
      if (outcome.outcome === 'pending') continue;
      settled.set(key, outcome);
      options.onSettled?.(outcome);
    }
    if (settled.size === keys.length) break;
    if (Date.now() > deadline) {
      if (failure !== undefined) throw failure;
      break;
    }
    backoffMs = failure === undefined ? pollIntervalMs : Math.min(maxPollBackoffMs, backoffMs * 2);
    await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs, Math.max(0, deadline - Date.now()) + 1)));
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
