import { getJson, itemKeys, listErrorRecords, type ItemManifest, type ListedErrorRecord } from '../../domain/items/index.js';
import { ApiRequestError } from './errors.js';
import { listItems } from './listItems.js';
import { searchByImage, similarToItem } from './similarRoutes.js';
import type { ApiDeps, ApiRequest, ApiResponse, SimilarityDeps } from './types.js';

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
  const segments = request.path
    .replace(/^\/api\/?/, '')
    .split('/')
    .filter(Boolean);
  const single = segments.length === 1 && (segments[0] === 'search' || segments[0] === 'errors') ? segments[0] : undefined;
  const route = single ?? (segments[0] === 'items' ? routeOfItems(segments) : undefined);
  if (!route) throw new ApiRequestError(404, `no such API route: ${request.path}`);
  const method = route === 'search' ? 'POST' : 'GET';
  if (request.method !== method) throw new ApiRequestError(405, `${request.method} is not allowed on ${request.path}; use ${method}`);
  if (route === 'list') return listPage(request, deps);
  if (route === 'errors') return errorsPage(request, deps);
  if (route === 'search')
    return searchByImage(
      deps.store,
      requireSimilarity(deps),
      { body: request.body, contentType: request.headers?.['content-type'] },
      request.query.k,
    );
  const itemId = segments[1] ?? '';
  if (!itemIdPattern.test(itemId))
    throw new ApiRequestError(400, `item id must be 32 lowercase hex characters, got ${JSON.stringify(itemId)}`);
  if (route === 'similar') return similarToItem(deps.store, requireSimilarity(deps), itemId, request.query.k);
  const manifest = await getJson<ItemManifest>(deps.store, itemKeys.manifest(itemId));
  if (!manifest) throw new ApiRequestError(404, `no item ${itemId}`);
  return manifest;
}

/** items, items/<id>, items/<id>/similar */
function routeOfItems(segments: string[]): 'list' | 'item' | 'similar' | undefined {
  if (segments.length === 1) return 'list';
  if (segments.length === 2) return 'item';
  return segments.length === 3 && segments[2] === 'similar' ? 'similar' : undefined;
}

function listPage(request: ApiRequest, deps: ApiDeps): Promise<unknown> {
  const limit = parseLimit(request.query.limit, deps.limits);
  const cursor = request.query.cursor || undefined;
  if (cursor !== undefined && !itemIdPattern.test(cursor))
    throw new ApiRequestError(400, `cursor must be a nextCursor from a previous page, got ${JSON.stringify(cursor)}`);
  return listItems(deps.store, limit, cursor);
}

/** GET /api/errors?limit=: why uploads did not become items, newest first, so a viewer can show them. */
async function errorsPage(request: ApiRequest, deps: ApiDeps): Promise<{ errors: ListedErrorRecord[]; total: number }> {
  const limit = parseLimit(request.query.limit, deps.limits);
  const records = await listErrorRecords(deps.store);
  return { errors: records.slice(0, limit), total: records.length };
}

function requireSimilarity(deps: ApiDeps): SimilarityDeps {
  if (!deps.similarity) throw new ApiRequestError(404, 'similarity search is not configured in this deployment');
  return deps.similarity;
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
