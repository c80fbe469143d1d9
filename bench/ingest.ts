/**
 * Upload-to-manifest latency and throughput of image ingest through the local
 * mode (embedded S3 + SQS, the real handler, sharp), on real photos from
 * opencv-doc upscaled to 12 megapixels. The reference measured in the same run
 * is the bare decode+preview time for the same bytes in-process, so the ratio
 * shows what the queue, storage and handler add.
 *
 *   npm run bench:ingest [-- --rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { pipelineConfig } from '../functions/config/index.js';
import { itemIdForContent, itemKeys } from '../functions/items/index.js';
import { renderImagePreviews } from '../functions/media/index.js';
import { startLocalPipeline, type LocalPipeline } from '../local/index.js';
import { loadRealPhotos } from './realPhotos.js';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 2;
const targetWidthPx = 4000;
const targetHeightPx = 3000;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}
const round1 = (value: number) => Math.round(value * 10) / 10;

async function makeTwelveMegapixelJpegs(variant: number): Promise<{ name: string; bytes: Buffer }[]> {
  return Promise.all(
    loadRealPhotos()
      .filter((photo) => photo.name.endsWith('.jpg'))
      .map(async (photo) => ({
        name: `${photo.name.replace(/\.jpg$/, '')}-12mp-${variant}.jpg`,
        // A one-pixel-row tweak per variant makes each round's bytes (and item) new.
        bytes: await sharp(photo.bytes)
          .resize(targetWidthPx, targetHeightPx, { fit: 'fill', kernel: 'lanczos3' })
          .extend({ bottom: variant, extendWith: 'copy' })
          .jpeg({ quality: 90 })
          .toBuffer(),
      })),
  );
}

async function waitForManifest(pipeline: LocalPipeline, itemId: string, started: number): Promise<number> {
  const key = itemKeys.manifest(itemId);
  for (;;) {
    try {
      await pipeline.s3.send(new HeadObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }));
      return performance.now() - started;
    } catch {
      if (performance.now() - started > 30_000) throw new Error(`no manifest for ${itemId} after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-ingest-'));
const pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
try {
  const latenciesMs: number[] = [];
  const directMs: number[] = [];
  let images = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const photos = await makeTwelveMegapixelJpegs(round);
    for (const photo of photos) {
      const directStart = performance.now();
      await renderImagePreviews(photo.bytes, 'image/jpeg', pipelineConfig.image);
      directMs.push(performance.now() - directStart);

      const started = performance.now();
      await pipeline.upload(`uploads/bench/latency/${photo.name}`, photo.bytes);
      latenciesMs.push(await waitForManifest(pipeline, itemIdForContent(photo.bytes), started));
      images += 1;
    }
    console.log(`round ${round}: ${photos.length} 12 MP JPEGs, upload->manifest p50 ${round1(percentile(latenciesMs, 0.5))} ms`);
  }

  // Throughput: a burst of uploads, all workers busy, until the queue drains.
  const burst = await makeTwelveMegapixelJpegs(rounds + 1);
  const burstStart = performance.now();
  await Promise.all(burst.map((photo) => pipeline.upload(`uploads/bench/burst/${photo.name}`, photo.bytes)));
  await pipeline.waitForIdle(300_000);
  const burstSeconds = (performance.now() - burstStart) / 1000;
  const counts = await pipeline.countOutcomes();
  if (counts.items !== counts.uploads) throw new Error(`expected every upload to become an item, got ${JSON.stringify(counts)}`);

  const p50 = percentile(latenciesMs, 0.5);
  const directP50 = percentile(directMs, 0.5);
  console.log(`bare decode+previews p50 ${round1(directP50)} ms; pipeline adds ${round1(p50 - directP50)} ms (ratio ${round1(p50 / directP50)}x)`);
  console.log(`burst: ${burst.length} images in ${round1(burstSeconds)} s with ${pipelineConfig.local.ingestWorkers} workers`);
  console.log(
    JSON.stringify({
      images,
      images_per_s: round1(burst.length / burstSeconds),
      upload_to_manifest_ms_p50: round1(p50),
      upload_to_manifest_ms_p95: round1(percentile(latenciesMs, 0.95)),
      megapixels: (targetWidthPx * targetHeightPx) / 1e6,
      direct_render_ms_p50: round1(directP50),
      pipeline_over_direct_ratio: round1(p50 / directP50),
    }),
  );
} finally {
  await pipeline.stop();
  await rm(dataDir, { recursive: true, force: true });
}
