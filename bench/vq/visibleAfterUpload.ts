import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';

/**
 * Through the whole local pipeline (s3rver, fauxqs, ingest, index queue,
 * indexer, API): for each probe upload, the milliseconds from its 'ready'
 * manifest landing to the API's search-by-image returning it first. The index
 * is seeded with `seed` uploads first, so probes join a populated index.
 */
export async function measureVisibleAfterUpload(seed: Uint8Array[], probes: Uint8Array[], log: (line: string) => void): Promise<number[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-visible-'));
  const pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
  try {
    for (const [index, bytes] of seed.entries()) await pipeline.upload(`uploads/bench/seed-${index}.jpg`, bytes);
    await pipeline.waitForIdle(600_000);
    log(`seeded the local pipeline with ${seed.length} uploads`);
    const visibleMs: number[] = [];
    for (const [index, bytes] of probes.entries()) {
      const itemId = itemIdForContent(bytes);
      await pipeline.upload(`uploads/bench/probe-${index}.jpg`, bytes);
      const landed = await whenReady(pipeline, itemId);
      for (;;) {
        if ((await topHit(pipeline, bytes)) === itemId) break;
        if (performance.now() - landed > 30_000) throw new Error(`item ${itemId} not returned by search 30 s after its manifest`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      visibleMs.push(performance.now() - landed);
    }
    await pipeline.waitForIdle();
    return visibleMs;
  } finally {
    await pipeline.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** performance.now() at which the item's manifest was first seen 'ready'. */
async function whenReady(pipeline: LocalPipeline, itemId: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const manifest = await pipeline.s3
      .send(new GetObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: itemKeys.manifest(itemId) }))
      .then(async (object) => JSON.parse(await object.Body!.transformToString()) as ItemManifest)
      .catch(() => undefined);
    if (manifest?.status === 'ready') return performance.now();
    if (performance.now() - started > 60_000) throw new Error(`item ${itemId} not ready after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function topHit(pipeline: LocalPipeline, bytes: Uint8Array): Promise<string | undefined> {
  const response = await fetch(new URL('/api/search?k=1', pipeline.viewerUrl), { method: 'POST', body: new Uint8Array(bytes) });
  const body = (await response.json()) as { similar?: { itemId: string }[] };
  return body.similar?.[0]?.itemId;
}
