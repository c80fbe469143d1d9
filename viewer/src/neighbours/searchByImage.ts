import { ApiResponseError, ApiUnreachableError } from '../errors.js';
import { similarList, type SimilarItem } from './fetchSimilar.js';

/** POST /api/search with an image's bytes: the items that look most like it. */
export async function searchByImage(image: Blob, k: number, signal?: AbortSignal): Promise<SimilarItem[]> {
  const url = `/api/search?k=${k}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: image, headers: { 'content-type': image.type || 'application/octet-stream', accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiUnreachableError(url, error);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiResponseError(url, response.status, text.trim().slice(0, 200));
  }
  if (!response.ok) throw new ApiResponseError(url, response.status, String((body as { error?: unknown }).error ?? ''));
  return similarList(url, body);
}
