import { ApiResponseError, ApiUnreachableError } from '../errors.js';
import { similarList, type SimilarItem } from './fetchSimilar.js';

/** POST /api/search with an image's bytes: the items that look most like it. */
export async function searchByImage(image: Blob, k: number, signal?: AbortSignal): Promise<SimilarItem[]> {
  const url = `/api/search?k=${k}`;
  let response: Response;
  try {
    const body = await image.arrayBuffer();
    const headers = {
      'content-type': image.type || 'application/octet-stream',
      accept: 'application/json',
      // CloudFront's origin access control signs the request to the API's Function URL; Lambda needs the payload hash for a POST.
      'x-amz-content-sha256': await sha256Hex(body),
    };
    response = await fetch(url, { method: 'POST', body, headers, ...(signal ? { signal } : {}) });
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

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
