import { describe, expect, it } from 'vitest';
import { fetchSession } from '../../../viewer/src/access/fetchSession.js';

const answering = (body: string, status: number, urls: string[] = []) =>
  (async (input: string | URL | Request) => {
    urls.push(String(input));
    return new Response(body, { status });
  }) as typeof fetch;

describe('fetchSession', () => {
  it('asks /auth/session and reads its JSON', async () => {
    const urls: string[] = [];
    expect(await fetchSession(answering('{"signInUrl":"/auth/login"}', 401, urls))).toEqual({
      mode: 'signed-out',
      signInUrl: '/auth/login',
    });
    expect(urls).toEqual(['/auth/session']);
  });

  it('takes a plain-text 404 (the local server without sign-in) for an open site', async () => {
    expect(await fetchSession(answering('not found', 404))).toEqual({ mode: 'open' });
  });

  it('takes a site it cannot reach for an open one, whose own requests then fail and say so', async () => {
    const unreachable = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await fetchSession(unreachable)).toEqual({ mode: 'open' });
  });
});
