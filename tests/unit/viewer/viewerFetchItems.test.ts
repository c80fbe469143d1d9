import { describe, expect, it } from 'vitest';
import type { ItemManifest, ItemsPage } from '../../../functions/domain/items/types.js';
import { ApiResponseError, ApiUnreachableError } from '../../../viewer/src/errors.js';
import { fetchItems } from '../../../viewer/src/fetchItems.js';

const item = (itemId: string): ItemManifest => ({
  schemaVersion: 1,
  itemId,
  kind: 'image',
  status: 'ready',
  source: { key: `uploads/${itemId}.png`, bytes: 1, mime: 'image/png', uploadedAt: '2026-01-01T00:00:00.000Z' },
  widthPx: 4,
  heightPx: 3,
  previews: [{ role: 'thumb', key: `items/${itemId}/preview/thumb.webp`, widthPx: 4, heightPx: 3, mime: 'image/webp', bytes: 1 }],
});

/** A fake API over pages keyed by cursor ('' is the first); records the URLs asked for. */
function fakeApi(pages: Record<string, ItemsPage>) {
  const urls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    urls.push(url);
    const cursor = new URL(url, 'http://viewer.test').searchParams.get('cursor') ?? '';
    const page = pages[cursor];
    return page ? new Response(JSON.stringify(page), { status: 200 }) : new Response('{"error":"bad cursor"}', { status: 400 });
  }) as typeof fetch;
  return { urls, fetchImpl };
}

describe('fetchItems', () => {
  const pages: Record<string, ItemsPage> = {
    '': { items: [item('a'), item('b')], nextCursor: 'c1' },
    c1: { items: [item('c')], nextCursor: 'c2' },
    c2: { items: [item('d')] },
  };

  it('follows nextCursor until the last page', async () => {
    const api = fakeApi(pages);
    const result = await fetchItems({ pageSize: 2, maxPages: 5, fetch: api.fetchImpl });
    expect(result.items.map((i) => i.itemId)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.nextCursor).toBeUndefined();
    expect(api.urls).toEqual(['/api/items?limit=2', '/api/items?limit=2&cursor=c1', '/api/items?limit=2&cursor=c2']);
  });

  it('stops after maxPages and hands back the cursor to continue from', async () => {
    const api = fakeApi(pages);
    const first = await fetchItems({ pageSize: 2, maxPages: 2, fetch: api.fetchImpl });
    expect(first.items.map((i) => i.itemId)).toEqual(['a', 'b', 'c']);
    expect(first.nextCursor).toBe('c2');
    const rest = await fetchItems({ pageSize: 2, maxPages: 2, cursor: first.nextCursor, fetch: api.fetchImpl });
    expect(rest).toEqual({ items: [item('d')] });
  });

  it('skips records without previews instead of failing the gallery', async () => {
    const broken = { ...item('x'), previews: [] };
    const api = fakeApi({ '': { items: [broken, item('y')] } });
    expect((await fetchItems({ pageSize: 2, maxPages: 1, fetch: api.fetchImpl })).items.map((i) => i.itemId)).toEqual(['y']);
  });

  it('names the status and the API message when the API fails', async () => {
    const fetchImpl = (async () => new Response('{"error":"internal error; see the function logs"}', { status: 500 })) as typeof fetch;
    const failure = fetchItems({ pageSize: 2, maxPages: 1, fetch: fetchImpl });
    await expect(failure).rejects.toBeInstanceOf(ApiResponseError);
    await expect(failure).rejects.toThrow('answered 500: internal error; see the function logs');
  });

  it('says the API could not be reached when fetch itself fails', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchItems({ pageSize: 2, maxPages: 1, fetch: fetchImpl })).rejects.toBeInstanceOf(ApiUnreachableError);
  });

  it('rejects a body that is not an items page', async () => {
    const fetchImpl = (async () => new Response('<html>CloudFront error</html>', { status: 200 })) as typeof fetch;
    await expect(fetchItems({ pageSize: 2, maxPages: 1, fetch: fetchImpl })).rejects.toThrow('not JSON');
    const notAPage = (async () => new Response('{"items":"nope"}', { status: 200 })) as typeof fetch;
    await expect(fetchItems({ pageSize: 2, maxPages: 1, fetch: notAPage })).rejects.toThrow('not an items page');
  });
});
