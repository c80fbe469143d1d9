import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { itemIdForContent, itemKeys } from '../../functions/domain/items/index.js';
import { storageUnavailableSentence } from '../../functions/stages/api/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * The API and the item files when the storage keeps failing (every S3 request of a kind answered 500 by the real
 * fault proxy, so the SDK's retries fail too): a 503 that says so, never a 500 or a wrong answer; and right
 * answers again once the storage is back.
 */
let workDir: string;
let pipeline: LocalPipeline;
let itemId: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'xr-api-faults-'));
  pipeline = await startLocalPipeline({ dataDir: workDir, ports: 'random', handlerLogLevel: 'SILENT', faultProxy: { seed: 5, rates: {} } });
  const photo = await makeJpeg(320, 240, '#c06030');
  itemId = itemIdForContent(photo);
  await pipeline.upload('uploads/api/photo.jpg', photo);
  await pipeline.waitForIdle(60_000);
}, 90_000);

afterAll(async () => {
  await pipeline?.stop();
  await rm(workDir, { recursive: true, force: true });
});

const paths = () => ['/api/items', `/api/items/${itemId}`, `/api/items/${itemId}/similar`, `/${itemKeys.manifest(itemId)}`];

it('answers 503 with a sentence while every storage read fails, and right again after', async () => {
  const failing = { serverError: 1 };
  pipeline.faultProxy!.s3.setRates({ read: failing, head: failing, list: failing });
  for (const path of paths()) {
    const response = await fetch(new URL(path, pipeline.viewerUrl));
    const text = await response.text();
    expect(response.status, path).toBe(503);
    expect(response.headers.get('retry-after'), path).toBe('1');
    expect(text, path).toContain(storageUnavailableSentence);
  }
  pipeline.faultProxy!.s3.setRates({});
  for (const path of paths()) expect((await fetch(new URL(path, pipeline.viewerUrl))).status, path).toBe(200);
  const item = (await (await fetch(new URL(`/api/items/${itemId}`, pipeline.viewerUrl))).json()) as { itemId?: string };
  expect(item.itemId).toBe(itemId);
});
