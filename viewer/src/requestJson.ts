import { ApiResponseError, ApiUnreachableError } from './errors.js';

/** GET a JSON document from the API; every failure becomes an error that names the URL. */
export async function getApiJson(url: string, signal?: AbortSignal, fetchImpl: typeof fetch = fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiUnreachableError(url, error);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiResponseError(url, response.status, errorDetail(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiResponseError(url, response.status, 'the body is not JSON');
  }
}

/** The `{ error }` message the API sends, else the start of the body. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 200);
}
