import { describe, expect, it } from 'vitest';
import { ListCache } from '../../../../functions/domain/vq/index.js';

describe('ListCache', () => {
  it('evicts the least recently used entries to stay within its bytes; a hit counts as a use', () => {
    const cache = new ListCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 40);
    expect(cache.bytes).toBe(80);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 3, misses: 1 });
  });

  it('re-setting an entry replaces its size; an entry larger than the cache is not kept; delete and clear free bytes', () => {
    const cache = new ListCache<string>(100);
    cache.set('a', 'A', 10);
    cache.set('a', 'A2', 60);
    expect(cache.bytes).toBe(60);
    cache.set('huge', 'H', 101);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('A2');
    cache.delete('a');
    expect(cache.bytes).toBe(0);
    cache.set('b', 'B', 5);
    cache.clear();
    expect({ bytes: cache.bytes, size: cache.size }).toEqual({ bytes: 0, size: 0 });
  });
});
