import { describe, expect, it } from 'vitest';
import { SharedFetches } from '../../../viewer/src/foveated/SharedFetches.js';

/** A fetch that answers only when the test says so, recording each request and its signal. */
function controllableFetch() {
  const requests: { url: string; signal: AbortSignal; answer: (blob: Blob) => void }[] = [];
  const fetchBlob = (url: string, signal: AbortSignal) =>
    new Promise<Blob>((resolve, reject) => {
      requests.push({ url, signal, answer: resolve });
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  return { requests, fetches: new SharedFetches(fetchBlob) };
}

describe('SharedFetches', () => {
  it('makes one request for concurrent asks of a URL, and gives each the bytes', async () => {
    const { requests, fetches } = controllableFetch();
    const first = fetches.get('/a', new AbortController().signal);
    const second = fetches.get('/a', new AbortController().signal);
    const other = fetches.get('/b', new AbortController().signal);
    expect(requests.map((request) => request.url)).toEqual(['/a', '/b']);
    const bytes = new Blob(['a']);
    requests[0]!.answer(bytes);
    expect(await first).toBe(bytes);
    expect(await second).toBe(bytes);
    requests[1]!.answer(new Blob(['b']));
    expect(await (await other).text()).toBe('b');
  });

  it('asks again once the earlier request has settled', async () => {
    const { requests, fetches } = controllableFetch();
    const first = fetches.get('/a', new AbortController().signal);
    requests[0]!.answer(new Blob(['a']));
    await first;
    void fetches.get('/a', new AbortController().signal);
    expect(requests).toHaveLength(2);
  });

  it('keeps the request while anyone still wants it, and aborts it when the last one gives up', async () => {
    const { requests, fetches } = controllableFetch();
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = fetches.get('/a', leaving.signal);
    const stayed = fetches.get('/a', staying.signal);
    leaving.abort();
    await expect(left).rejects.toBeDefined();
    expect(requests[0]!.signal.aborted).toBe(false);
    staying.abort();
    await expect(stayed).rejects.toBeDefined();
    expect(requests[0]!.signal.aborted).toBe(true);
    // A new ask after the abort starts a fresh request, not the aborted one.
    void fetches.get('/a', new AbortController().signal);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.signal.aborted).toBe(false);
  });

  it('passes a failure to every asker, and refuses an already aborted signal without a request', async () => {
    const { requests, fetches } = controllableFetch();
    const aborted = new AbortController();
    aborted.abort();
    await expect(fetches.get('/a', aborted.signal)).rejects.toBeDefined();
    expect(requests).toHaveLength(0);
    const failing = new SharedFetches(() => Promise.reject(new Error('/a answered 500')));
    const asks = [failing.get('/a', new AbortController().signal), failing.get('/a', new AbortController().signal)];
    for (const ask of asks) await expect(ask).rejects.toThrow('answered 500');
  });
});
