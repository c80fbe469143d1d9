import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestShareLink } from '../../../viewer/src/access/requestShareLink.js';
import { ApiResponseError } from '../../../viewer/src/errors.js';

const itemId = '0123456789abcdef0123456789abcdef';

/** An auth route that records the one request it gets and answers `status` with `body`. */
function authRoute(status: number, body: unknown) {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    seen.push({ url: String(input), init });
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  return { seen, fetchImpl };
}

describe('requestShareLink', () => {
  it('POSTs the item id as JSON, with the payload hash origin access control needs, and returns the link', async () => {
    const link = { url: 'https://site.example/auth/share?Policy=p&Signature=s&Key-Pair-Id=k', expiresAt: '2026-12-10T15:04:00.000Z' };
    const route = authRoute(200, link);
    expect(await requestShareLink(itemId, route.fetchImpl)).toEqual(link);
    const [{ url, init }] = route.seen as [{ url: string; init: RequestInit }];
    expect(url).toBe('/auth/shares');
    expect(init.method).toBe('POST');
    const sent = Buffer.from(init.body as ArrayBuffer);
    expect(JSON.parse(sent.toString('utf8'))).toEqual({ itemId });
    expect(init.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-amz-content-sha256': createHash('sha256').update(sent).digest('hex'),
    });
  });

  it("names the auth function's reason when it refuses", async () => {
    const refused = requestShareLink(itemId, authRoute(403, { error: 'only the signed-in owner may share items' }).fetchImpl);
    await expect(refused).rejects.toBeInstanceOf(ApiResponseError);
    await expect(refused).rejects.toThrow('403: only the signed-in owner may share items');
  });

  it('rejects an answer that is not a link', async () => {
    await expect(requestShareLink(itemId, authRoute(200, { url: 42 }).fetchImpl)).rejects.toThrow('not a share link');
  });
});
