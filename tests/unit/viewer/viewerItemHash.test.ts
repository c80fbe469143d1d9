import { describe, expect, it } from 'vitest';
import { itemHash } from '../../../viewer/src/itemHash.js';

describe('itemHash', () => {
  const itemId = '0123456789abcdef0123456789abcdef';

  it('round-trips an item id', () => {
    expect(itemHash.format(itemId)).toBe(`#item=${itemId}`);
    expect(itemHash.parse(itemHash.format(itemId))).toBe(itemId);
  });

  it('ignores hashes without an item', () => {
    expect(itemHash.parse('')).toBeUndefined();
    expect(itemHash.parse('#')).toBeUndefined();
    expect(itemHash.parse('#item=')).toBeUndefined();
    expect(itemHash.parse('#other=1')).toBeUndefined();
  });

  it('reads the item among other parameters', () => {
    expect(itemHash.parse(`#view=grid&item=${itemId}`)).toBe(itemId);
  });
});
