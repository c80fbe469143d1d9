import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../../cli/apiClient.js';
import { waitForOutcomes } from '../../cli/waitForOutcomes.js';
import { S3ObjectStore } from '../../functions/adapters/store/index.js';
import type { ObjectStore } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { makeJpeg } from '../helpers/testImages.js';

/** A store whose reads fail with `code` for the first `failures` calls (the SDK's own retries absorb real resets of one request). */
function failingReads(store: ObjectStore, code: string, failures: number): { store: ObjectStore; failed: () => number } {
  let failed = 0;
  const flaky = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || !['head', 'getBytes'].includes(String(property))) return value;
      return (...args: unknown[]) => {
        if (failed < failures) {
          failed += 1;
          return Promise.reject(Object.assign(new Error(`read ${code}`), { code }));
        }
        return (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { store: flaky, failed: () => failed };
}

describe('the CLI rides out transient failures', () => {
  let pipeline: LocalPipeline;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-cli-retries-'));
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
    await pipeline.upload('uploads/steady.jpg', await makeJpeg(120, 80));
    await pipeline.waitForIdle(60_000);
  }, 120_000);
  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps waiting through reset connections and reports the item', async () => {
    const flaky = failingReads(new S3ObjectStore(pipeline.s3, pipeline.resources.mediaBucket), 'ECONNRESET', 3);
    expect(await waitForOutcomes(flaky.store, ['uploads/steady.jpg'], { timeoutMs: 30_000 })).toEqual([
      { key: 'uploads/steady.jpg', outcome: 'item' },
    ]);
    expect(flaky.failed()).toBe(3);
  });

  it('ends the wait with the error when the failures last to the deadline, and at once when nothing listens', async () => {
    const store = new S3ObjectStore(pipeline.s3, pipeline.resources.mediaBucket);
    await expect(
      waitForOutcomes(failingReads(store, 'ECONNRESET', 1_000).store, ['uploads/steady.jpg'], { timeoutMs: 1_500 }),
    ).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    const started = Date.now();
    await expect(
      waitForOutcomes(failingReads(store, 'ECONNREFUSED', 1_000).store, ['uploads/steady.jpg'], { timeoutMs: 30_000 }),
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('callApi', () => {
  let server: Server;
  let apiUrl: string;
  const plan: ('reset' | 503 | 200)[] = [];
  let requests = 0;
  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      const step = plan.shift() ?? 200;
      // A real reset: the socket closes before any answer.
      if (step === 'reset') return void request.socket.destroy();
      response.writeHead(step, { 'content-type': 'application/json' });
      response.end(JSON.stringify(step === 200 ? { ok: true } : { error: 'busy' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tries again after a reset connection and a 503, and answers', async () => {
    plan.push('reset', 503);
    requests = 0;
    expect(await callApi(apiUrl, 'items')).toEqual({ ok: true });
    expect(requests).toBe(3);
  });

  it('gives up after its attempts, with the service’s own sentence', async () => {
    plan.push(503, 503, 503, 503);
    requests = 0;
    await expect(callApi(apiUrl, 'items')).rejects.toThrow(/answered 503: busy/);
    expect(requests).toBe(4);
  });
});
