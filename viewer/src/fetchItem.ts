import type { ItemManifest } from '../../functions/domain/items/types.js';
import { ApiResponseError } from './errors.js';
import { getApiJson } from './getApiJson.js';

/** GET /api/items/<itemId>: for a deep link to an item that is not on the loaded pages. */
export async function fetchItem(itemId: string, signal?: AbortSignal): Promise<ItemManifest> {
  const url = `/api/items/${encodeURIComponent(itemId)}`;
  const item = (await getApiJson(url, signal)) as Partial<ItemManifest> | null;
  if (!item || typeof item.itemId !== 'string' || !Array.isArray(item.previews)) {
    throw new ApiResponseError(url, 200, 'the body is not an item manifest');
  }
  return item as ItemManifest;
}
