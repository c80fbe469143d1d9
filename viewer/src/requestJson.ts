import { AccessEndedError, ApiResponseError, ApiUnreachableError } from './errors.js';

/**
 * A request to the site (the API, an item's JSON, the auth routes) whose answer is JSON; every failure
 * becomes an error that names the URL. `fetchImpl` is the viewer's guarded fetch (SessionGuard), so a
 * refusal because the session ended is noticed here too.
 */
export async function requestJson(url: string, fetchImpl: typeof fetch, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, headers: { accept: 'application/json', ...(init.headers as Record<string, string>) } });
  } catch (error) {
    if (init.signal?.aborted || error instanceof AccessEndedError) throw error;
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
