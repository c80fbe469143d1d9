import type { ErrorRecord } from '../../functions/domain/items/types.js';
import { ApiResponseError } from './errors.js';
import { requestJson } from './requestJson.js';

/** GET /api/errors?limit=: uploads that did not become items, newest first, each with its reason. */
export async function fetchErrors(limit: number, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<ErrorRecord[]> {
  const url = `/api/errors?limit=${limit}`;
  const body = (await requestJson(url, fetchImpl, { signal })) as { errors?: unknown } | null;
  if (!Array.isArray(body?.errors)) throw new ApiResponseError(url, 200, 'the body has no list of error records');
  return (body.errors as ErrorRecord[]).filter((record) => typeof record?.key === 'string' && typeof record.reason === 'string');
}
