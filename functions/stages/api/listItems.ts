import { getJson, itemKeys, type ItemManifest, type ItemsPage, type ObjectStore } from '../../domain/items/index.js';
import { pipelineConfig } from '../../config/index.js';

/**
 * One page of items. Folders without a manifest are items still being written
 * (a manifest lands after what it names), so they are left out rather than shown
 * half-made; a 'rendering' item is listed with its first preview.
 */
export async function listItems(store: ObjectStore, limit: number, cursor?: string): Promise<ItemsPage> {
  const page = await store.listFolders(pipelineConfig.prefixes.items, limit, cursor);
  const manifests = await Promise.all(page.folders.map((itemId) => getJson<ItemManifest>(store, itemKeys.manifest(itemId))));
  const items = manifests.filter((manifest): manifest is ItemManifest => manifest !== undefined);
  return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
}
