import type { SimilarItem } from '../../../functions/stages/api/index.js';
import { ApiResponseError } from '../errors.js';
import { requestJson } from '../requestJson.js';

export type { SimilarItem };

/** GET /api/items/<id>/similar?k=: the item's nearest neighbours, itself left out. */
export async function fetchSimilar(itemId: string, k: number, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<SimilarItem[]> {
  const url = `/api/items/${encodeURIComponent(itemId)}/similar?k=${k}`;
  return similarList(url, await requestJson(url, fetchImpl, { signal }));
}

/** The `similar` list of a /similar or /search answer, checked. */
export function similarList(url: string, body: unknown): SimilarItem[] {
  const similar = (body as { similar?: unknown } | null)?.similar;
  if (!Array.isArray(similar) || !similar.every((entry) => typeof (entry as SimilarItem)?.itemId === 'string')) {
    throw new ApiResponseError(url, 200, 'the body has no list of similar items');
  }
  return similar as SimilarItem[];
}
