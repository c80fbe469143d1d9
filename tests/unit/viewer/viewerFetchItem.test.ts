import { describe, expect, it } from 'vitest';
import { itemKeys } from '../../../functions/domain/items/index.js';
import { fetchItem, itemRecordUrl } from '../../../viewer/src/fetchItem.js';

const itemId = '0123456789abcdef0123456789abcdef';

describe('fetchItem', () => {
  it("reads a record through the API, or as the item's manifest file for a share link", () => {
    expect(itemRecordUrl(itemId, 'api')).toBe(`/api/items/${itemId}`);
    expect(itemRecordUrl(itemId, 'manifest')).toBe(`/${itemKeys.manifest(itemId)}`);
  });

  it('rejects a body that is not an item manifest', async () => {
    const notAnItem = (async () => new Response('{"itemId":"x"}', { status: 200 })) as typeof fetch;
    await expect(fetchItem(itemId, 'manifest', notAnItem)).rejects.toThrow('not an item manifest');
  });
});
