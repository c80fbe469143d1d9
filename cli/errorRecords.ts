import { pipelineConfig } from '../functions/config/index.js';
import { getJson, itemKeys, type ErrorRecord, type ListedErrorRecord, type ObjectStore } from '../functions/domain/items/index.js';

const recordIdPattern = /^[0-9a-f]{32}$/;

/**
 * One error record, named by its record id, by its upload key (`uploads/a.jpg`),
 * or by the key below the uploads prefix (`a.jpg`), as people remember it.
 */
export async function findErrorRecord(store: ObjectStore, name: string): Promise<ListedErrorRecord | undefined> {
  const { errors, uploads } = pipelineConfig.prefixes;
  const recordId = name.replace(/\.json$/, '');
  const candidates = recordIdPattern.test(recordId)
    ? [`${errors}${recordId}.json`]
    : [itemKeys.errorRecord(name), ...(name.startsWith(uploads) ? [] : [itemKeys.errorRecord(`${uploads}${name}`)])];
  for (const key of candidates) {
    const record = await getJson<ErrorRecord>(store, key);
    if (record) return { ...record, recordId: key.slice(errors.length).replace(/\.json$/, '') };
  }
  return undefined;
}
