import { describe, expect, it } from 'vitest';
import { retryingFetch } from '../../../viewer/src/retryingFetch.js';

/** A fetch that plays a script of answers: a status, or 'drop' for a failed connection. */
function scripted(script: (number | 'drop')[]): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const fetchImpl: typeof fetch = () => {
    const step = script[calls++] ?? 200;
    return step === 'drop' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(new Response('{}', { status: step }));
  };
  return { fetch: fetchImpl, calls: () => calls };
}

describe('retryingFetch', () => {
  const pauses: number[] = [];
  const sleep = (ms: number) => {
    pauses.push(ms);
    return Promise.resolve();
  };

  it('makes a request again after a dropped connection, a 503 and a 429, with growing pauses', async () => {
    pauses.length = 0;
    const origin = scripted(['drop', 503, 429, 200]);
    expect((await retryingFetch(origin.fetch, sleep)('/api/items')).status).toBe(200);
    expect(origin.calls()).toBe(4);
    expect(pauses).toEqual([250, 500, 1000]);
  });

  it('gives the caller the last answer or error after four attempts, and repeats no 4xx', async () => {
    expect((await retryingFetch(scripted([503, 503, 503, 503, 200]).fetch, sleep)('/x')).status).toBe(503);
    await expect(retryingFetch(scripted(['drop', 'drop', 'drop', 'drop']).fetch, sleep)('/x')).rejects.toThrow('Failed to fetch');
    const refused = scripted([403, 200]);
    expect((await retryingFetch(refused.fetch, sleep)('/x')).status).toBe(403);
    expect(refused.calls()).toBe(1);
  });

  it('never repeats an aborted request', async () => {
    const controller = new AbortController();
    controller.abort();
    const origin = scripted(['drop', 200]);
    await expect(retryingFetch(origin.fetch, sleep)('/x', { signal: controller.signal })).rejects.toThrow();
    expect(origin.calls()).toBe(1);
  });
});
