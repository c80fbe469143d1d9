import { getJson, itemKeys, type ObjectStore } from '../../functions/domain/items/index.js';
import { pipelineConfig } from '../../functions/config/index.js';

/** Every items/ key a JSON document names, wherever it appears in it. */
function namedItemKeys(document: unknown): string[] {
  if (typeof document === 'string') return document.startsWith(pipelineConfig.prefixes.items) ? [document] : [];
  if (Array.isArray(document)) return document.flatMap(namedItemKeys);
  if (typeof document === 'object' && document !== null) return Object.values(document).flatMap(namedItemKeys);
  return [];
}

/**
 * References from item manifests (and the JSON documents they name, such as
 * foveated.json) to objects that do not exist: "manifest → missing key". A
 * crash must never leave one, because manifests are written last.
 */
export async function danglingReferences(store: ObjectStore): Promise<string[]> {
  const dangling: string[] = [];
  const visited = new Set<string>();
  async function follow(documentKey: string): Promise<void> {
    if (visited.has(documentKey)) return;
    visited.add(documentKey);
    for (const named of namedItemKeys(await getJson<unknown>(store, documentKey))) {
      if (!(await store.head(named))) dangling.push(`${documentKey} → ${named}`);
      else if (named.endsWith('.json')) await follow(named);
    }
  }
  for await (const key of store.listKeys(pipelineConfig.prefixes.items)) {
    if (itemKeys.itemIdFromManifestKey(key)) await follow(key);
  }
  return dangling;
}
