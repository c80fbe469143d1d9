import { getJson, itemKeys, type ItemManifest } from '../items/index.js';
import { ApiRequestError } from './errors.js';
import { listItems } from './listItems.js';
import type { ApiDeps, ApiRequest, ApiResponse } from './types.js';

const itemIdPattern = /^[0-9a-f]{32}$/;

export async function routeApiRequest(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  try {
    return json(200, await dispatch(request, deps));
  } catch (error) {
    if (error instanceof ApiRequestError) return json(error.status, { error: error.message });
    throw error;
  }
}

async function dispatch(request: ApiRequest, deps: ApiDeps): Promise<unknown> {
  const segments = request.path.replace(/^\/api\/?/, '').split('/').filter(Boolean);
  if (segments[0] !== 'items' || segments.length > 2) throw new ApiRequestError(404, `no such API route: ${request.path}`);
  if (request.method !== 'GET') throw new ApiRequestError(405, `${request.method} is not allowed on ${request.path}; use GET`);
  if (segments.length === 1) {
    const limit = parseLimit(request.query.limit, deps.limits);
    const cursor = request.query.cursor || undefined;
    if (cursor !== undefined && !itemIdPattern.test(cursor)) throw new ApiRequestError(400, `cursor must be a nextCursor from a previous page, got ${JSON.stringify(cursor)}`);
    return listItems(deps.store, limit, cursor);
  }
  const itemId = segments[1] ?? '';
  if (!itemIdPattern.test(itemId)) throw new ApiRequestError(400, `item id must be 32 lowercase hex characters, got ${JSON.stringify(itemId)}`);
  const manifest = await getJson<ItemManifest>(deps.store, itemKeys.manifest(itemId));
  if (!manifest) throw new ApiRequestError(404, `no item ${itemId}`);
  return manifest;
}

function parseLimit(raw: string | undefined, limits: ApiDeps['limits']): number {
  if (raw === undefined || raw === '') return limits.itemsPageSizeDefault;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.itemsPageSizeMax) {
    throw new ApiRequestError(400, `limit must be a whole number from 1 to ${limits.itemsPageSizeMax}, got ${JSON.stringify(raw)}`);
  }
  return limit;
}

function json(status: number, value: unknown): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(value),
  };
}
