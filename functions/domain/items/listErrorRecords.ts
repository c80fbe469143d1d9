import { pipelineConfig } from '../../config/index.js';
import { getJson, type ObjectStore } from './objectStore.js';
import type { ErrorRecord } from './types.js';

export interface ListedErrorRecord extends ErrorRecord {
  /** The record's name under errors/ (a hash of the upload key). */
  recordId: string;
}

/** Every error record, newest first (the CLI's `errors list`, the API's GET /api/errors). */
export async function listErrorRecords(store: ObjectStore): Promise<ListedErrorRecord[]> {
  const { errors } = pipelineConfig.prefixes;
  const records: ListedErrorRecord[] = [];
  for await (const key of store.listKeys(errors)) {
    const record = await getJson<ErrorRecord>(store, key);
    if (record) records.push({ ...record, recordId: key.slice(errors.length).replace(/\.json$/, '') });
  }
  return records.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}
