import { describe, expect, it } from 'vitest';
import { mediaKeyOfPath } from '../../../local/mediaKeyOfPath.js';

describe('mediaKeyOfPath', () => {
  it('decodes the key of an item file', () => {
    expect(mediaKeyOfPath('/items/abc/preview/thumb.webp')).toEqual({ key: 'items/abc/preview/thumb.webp' });
    expect(mediaKeyOfPath('/items/a%20b/%E2%98%83.webp')).toEqual({ key: 'items/a b/☃.webp' });
  });

  it.each([
    ['/items/%ff', 400, /percent-encoded/],
    ['/items/%00', 400, /control character/],
    ['/items/a%0Ab', 400, /control character/],
    [`/items/${'a'.repeat(1020)}`, 414, /1024/],
    ['/items/', 404, /no empty/],
    ['/items//x', 404, /no empty/],
    ['/items/..%2fuploads%2fa.jpg', 404, /"\.\."/],
    ['/items/x/%2e/y', 404, /"\."/],
    ['/items/x/..', 404, /"\.\."/],
  ])('refuses %s with a %i', (path, status, message) => {
    const named = mediaKeyOfPath(path);
    expect(named).toMatchObject({ status });
    expect('message' in named && named.message).toMatch(message);
  });
});
