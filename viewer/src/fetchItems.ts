import type { ItemManifest, ItemsPage } from '../../functions/domain/items/types.js';
import { ApiResponseError } from './errors.js';
import { requestJson } from './requestJson.js';

export interface FetchItemsOptions {
  /** Items per request (?limit=). */
  pageSize: number;
  /** Requests at most this many pages, following nextCursor. */
  maxPages: number;
  /** Start after a nextCursor from an earlier call. */
  cursor?: string;
  signal?: AbortSignal;
  /** The viewer's guarded fetch (SessionGuard). */
  fetch: typeof fetch;
}

export interface FetchedItems {
  items: ItemManifest[];
  /** Set when more items exist beyond the pages fetched. */
  nextCursor?: string;
}

/** GET /api/items, following nextCursor for up to maxPages pages. */
export async function fetchItems(options: FetchItemsOptions): Promise<FetchedItems> {
  const items: ItemManifest[] = [];
  let cursor = options.cursor;
  for (let pages = 0; pages < options.maxPages; pages += 1) {
    const query = new URLSearchParams({ limit: String(options.pageSize) });
    if (cursor) query.set('cursor', cursor);
    const url = `/api/items?${query}`;
    const page = await requestJson(url, options.fetch, { signal: options.signal });
    if (!isItemsPage(page)) throw new ApiResponseError(url, 200, 'the body is not an items page ({ items: [...] })');
    items.push(...page.items.filter(isShowable));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return cursor ? { items, nextCursor: cursor } : { items };
}

function isItemsPage(value: unknown): value is ItemsPage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Partial<ItemsPage>;
  return Array.isArray(page.items) && (page.nextCursor === undefined || typeof page.nextCursor === 'string');
}

/** Skips records the viewer cannot draw instead of failing the whole gallery. */
function isShowable(item: ItemManifest): boolean {
  return typeof item?.itemId === 'string' && Array.isArray(item.previews) && item.previews.length > 0;
}
