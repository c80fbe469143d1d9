import type { ItemManifest } from '../../functions/domain/items/types.js';
import { ApiResponseError } from './errors.js';
import { mediaUrl } from './mediaUrl.js';
import { requestJson } from './requestJson.js';

/**
 * Where an item's record is read: through the API (GET /api/items/<id>), or as its manifest file
 * (items/<id>/manifest.json, the same record) for a share link's holder, to whom the API is closed.
 */
export type ItemRecordSource = 'api' | 'manifest';

export function itemRecordUrl(itemId: string, source: ItemRecordSource): string {
  return source === 'api' ? `/api/items/${encodeURIComponent(itemId)}` : mediaUrl(`items/${itemId}/manifest.json`);
}

/** One item's record: for a deep link to an item that is not on the loaded pages, or the one item a share link opens. */
export async function fetchItem(
  itemId: string,
  source: ItemRecordSource,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<ItemManifest> {
  const url = itemRecordUrl(itemId, source);
  const item = (await requestJson(url, fetchImpl, { signal })) as Partial<ItemManifest> | null;
  if (!item || typeof item.itemId !== 'string' || !Array.isArray(item.previews)) {
    throw new ApiResponseError(url, 200, 'the body is not an item manifest');
  }
  return item as ItemManifest;
}
