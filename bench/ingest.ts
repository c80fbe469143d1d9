/**
 * Upload-to-item latency (viewable, then ready) and throughput of image ingest through the local
 * mode (embedded S3 + SQS, the real handler, sharp), on real photos from
 * opencv-doc upscaled to 12 megapixels. The reference measured in the same run
 * is the same image work done in-process on the same bytes (first preview,
 * thumbnail and every foveated layer, no storage), so the ratio shows what the
 * queue, storage and handler add. The layers' CPU (all configured profiles)
 * is compared with one bare sharp decode, resize to the finest profile's
 * uniform PPD-matched size and encode of the same photo, measured next to it,
 * with the peer's encoder at the effort most of our tiles use (2; the JSON
 * figure) and at sharp's default (4).
 *
 *   npm run bench:ingest [-- --rounds 3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { pipelineConfig } from '../functions/config/index.js';
import { renderFoveatedPreview } from '../functions/stages/ingest/index.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../functions/domain/items/index.js';
import { renderImagePreviews } from '../functions/domain/media/index.js';
import { startLocalPipeline, type LocalPipeline } from '../local/index.js';
import { numberArg } from './benchArgs.js';
import { bareSharpUniform, cpuOf, peerEfforts, uniformPpdMatchedSize, type PeerEffort } from './previewReference.js';
import { makeTwelveMegapixelJpegs, twelveMegapixels } from './realPhotos.js';

const rounds = numberArg('rounds', 2);

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}
const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const tileQuality = pipelineConfig.foveation.encoding.tiles[0].quality;

/** Every object the pipeline stored for one item under items/<id>/ (manifest, previews, layers, embedding; not the upload) and their bytes. */
async function storedObjects(pipeline: LocalPipeline, itemId: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await pipeline.s3.send(
      new ListObjectsV2Command({
        Bucket: pipeline.resources.mediaBucket,
        Prefix: `${pipelineConfig.prefixes.items}${itemId}/`,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      files += 1;
      bytes += object.Size ?? 0;
    }
    token = page.NextContinuationToken;
  } while (token);
  return { files, bytes };
}

/** Milliseconds from `started` until the item is viewable (first manifest) and until it is 'ready' (foveated layers). */
async function waitForItem(pipeline: LocalPipeline, itemId: string, started: number): Promise<{ viewableMs: number; readyMs: number }> {
  const key = itemKeys.manifest(itemId);
  let viewableMs: number | undefined;
  for (;;) {
    const manifest = await pipeline.s3
      .send(new GetObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }))
      .then(async (object) => JSON.parse(await object.Body!.transformToString()) as ItemManifest)
      .catch(() => undefined);
    const elapsedMs = performance.now() - started;
    if (manifest) viewableMs ??= elapsedMs;
    if (manifest?.status === 'ready') return { viewableMs: viewableMs!, readyMs: elapsedMs };
    if (elapsedMs > 60_000) throw new Error(`item ${itemId} not ready after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-ingest-'));
const pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
try {
  const latenciesMs: number[] = [];
  const readyMs: number[] = [];
  const directMs: number[] = [];
  const layerCpuMs: number[] = [];
  const cpuRatios = Object.fromEntries(peerEfforts.map((effort) => [effort, [] as number[]])) as Record<PeerEffort, number[]>;
  const filesPerItem: number[] = [];
  const storedOverOriginal: number[] = [];
  let images = 0;
  for (let round = 1; round <= rounds; round += 1) {
    const photos = await makeTwelveMegapixelJpegs(round);
    for (const photo of photos) {
      const directStart = performance.now();
      await renderImagePreviews(photo.bytes, 'image/jpeg', pipelineConfig.image);
      const layers = await cpuOf(() => renderFoveatedPreview({ limits: pipelineConfig.image }, photo.bytes, 'image/jpeg'));
      directMs.push(performance.now() - directStart);
      // The peer: one decode, one resize to the finest profile's uniform PPD-matched size, one encode.
      const { plan } = layers.result;
      const finest = plan.profiles.reduce((best, profile, index) => (profile.topPpd > plan.profiles[best]!.topPpd ? index : best), 0);
      const uniform = uniformPpdMatchedSize(plan, finest);
      layerCpuMs.push(layers.ms);
      for (const effort of peerEfforts) {
        const bare = await cpuOf(() => bareSharpUniform(photo.bytes, uniform, tileQuality, pipelineConfig.image.maxPixels, effort));
        cpuRatios[effort].push(layers.ms / bare.ms);
      }

      const started = performance.now();
      await pipeline.upload(`uploads/bench/latency/${photo.name}`, photo.bytes);
      const timing = await waitForItem(pipeline, itemIdForContent(photo.bytes), started);
      latenciesMs.push(timing.viewableMs);
      readyMs.push(timing.readyMs);
      const stored = await storedObjects(pipeline, itemIdForContent(photo.bytes));
      filesPerItem.push(stored.files);
      storedOverOriginal.push(stored.bytes / photo.bytes.byteLength);
      images += 1;
    }
    console.log(
      `round ${round}: ${photos.length} 12 MP JPEGs, upload->manifest p50 ${round1(percentile(latenciesMs, 0.5))} ms, ->ready p50 ${round1(percentile(readyMs, 0.5))} ms`,
    );
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
  const readyP50 = percentile(readyMs, 0.5);
  const directP50 = percentile(directMs, 0.5);
  console.log(
    `in-process previews+foveated layers p50 ${round1(directP50)} ms; upload->ready adds ${round1(readyP50 - directP50)} ms (ratio ${round1(readyP50 / directP50)}x)`,
  );
  console.log(`burst: ${burst.length} images in ${round1(burstSeconds)} s with ${pipelineConfig.local.ingestWorkers} workers`);
  console.log(
    `layers for ${pipelineConfig.foveation.profiles.join(', ')}: CPU p50 ${round1(percentile(layerCpuMs, 0.5))} ms per 12 MP photo; vs one bare sharp decode+resize+encode ` +
      peerEfforts
        .map((effort) => {
          const ratios = cpuRatios[effort];
          return `at WebP effort ${effort}: ${round2(percentile(ratios, 0.5))}x (per photo ${round2(Math.min(...ratios))}-${round2(Math.max(...ratios))}x)`;
        })
        .join(', '),
  );
  console.log(
    JSON.stringify({
      images,
      images_per_s: round1(burst.length / burstSeconds),
      upload_to_manifest_ms_p50: round1(p50),
      upload_to_manifest_ms_p95: round1(percentile(latenciesMs, 0.95)),
      upload_to_ready_ms_p50: round1(readyP50),
      megapixels: (twelveMegapixels.widthPx * twelveMegapixels.heightPx) / 1e6,
      direct_render_ms_p50: round1(directP50),
      ready_over_direct_ratio: round1(readyP50 / directP50),
      cpu_ms_per_12mp_all_profiles: round1(percentile(layerCpuMs, 0.5)),
      cpu_ratio_vs_bare_sharp_all_profiles: round2(percentile(cpuRatios[2], 0.5)),
      cpu_ratio_vs_bare_sharp_effort4_all_profiles: round2(percentile(cpuRatios[4], 0.5)),
      files_per_item: percentile(filesPerItem, 0.5),
      stored_bytes_per_item_vs_original: round2(percentile(storedOverOriginal, 0.5)),
    }),
  );
} finally {
  await pipeline.stop();
  await rm(dataDir, { recursive: true, force: true });
}
