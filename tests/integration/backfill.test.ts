import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, embedderKey } from '../../functions/domain/embed/index.js';
import { itemIdForContent, itemKeys } from '../../functions/domain/items/index.js';
import { allShards, indexKeys, loadIndexShard, scopedIndexStorage } from '../../functions/domain/vq/index.js';
import type { SimilarItem } from '../../functions/stages/api/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { bucketObjects } from '../helpers/bucketObjects.js';
import { cli, localEndpointArgs } from '../helpers/cliProcess.js';
import { makeJpeg } from '../helpers/testImages.js';
import { makeClip } from '../helpers/testVideos.js';
import { tinyEncoderModel, tinyEncoderPreprocessing } from '../helpers/tinyOnnxModel.js';

/**
 * A library made with the built-in embedder moves to a model of the user's
 * own: the pipeline restarts with the model configured, queries keep
 * answering from the old index, `backfill` (killed once, then run again)
 * fills the model's index and switches queries to it.
 */
const model = tinyEncoderModel();
const spec = { name: 'tiny-backfill-encoder', version: '1', preprocessing: tinyEncoderPreprocessing };
const hues = ['#c04020', '#20c040', '#4020c0', '#c0c020', '#20c0c0', '#c020c0'];

describe('moving a library to another embedder with backfill', () => {
  let dataDir: string;
  let modelPath: string;
  let specPath: string;
  let pipeline: LocalPipeline;
  const images: { key: string; bytes: Buffer; itemId: string }[] = [];
  let videoItemId: string;
  const { getJsonObject } = bucketObjects(
    () => pipeline.s3,
    () => pipeline.resources.mediaBucket,
  );
  const modelKey = embedderKey(spec);
  const defaultKey = embedderKey(createDefaultEmbedder());
  const start = (withModel: boolean) =>
    startLocalPipeline({
      dataDir: join(dataDir, 'data'),
      ports: 'random',
      handlerLogLevel: 'SILENT',
      ...(withModel ? { embeddingModel: { model: modelPath, spec } } : {}),
    });
  const searchFirst = async (bytes: Buffer) => {
    const response = await fetch(new URL('/api/search?k=3', pipeline.viewerUrl), {
      method: 'POST',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { similar: SimilarItem[] }).similar[0]!;
  };
  const liveItems = async (root: string) => {
    const storage = scopedIndexStorage(new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated'), root);
    const shards = await Promise.all(allShards(pipelineConfig.vq.shards).map((shard) => loadIndexShard(storage, shard)));
    return {
      live: shards.reduce((sum, shard) => sum + (shard?.manifest.liveItems ?? 0), 0),
      embedders: shards.map((shard) => shard?.manifest.embedder),
    };
  };
  const modelVectors = async () => {
    const listed = await pipeline.s3.send(
      new ListObjectsV2Command({ Bucket: pipeline.resources.mediaBucket, Prefix: pipelineConfig.prefixes.items }),
    );
    return (listed.Contents ?? []).filter((object) => object.Key!.endsWith(`/embeddings/${modelKey}.f32`)).length;
  };
  const backfillArgs = () => [
    'backfill',
    '--embedding-model',
    modelPath,
    '--embedding-spec',
    specPath,
    '--concurrency',
    '1',
    '--json',
    ...localEndpointArgs(pipeline),
  ];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-backfill-'));
    modelPath = join(dataDir, 'model.onnx');
    specPath = join(dataDir, 'spec.json');
    await writeFile(modelPath, model);
    await writeFile(specPath, JSON.stringify(spec));
    pipeline = await start(false);
    for (const [index, hue] of hues.entries()) {
      const bytes = await makeJpeg(320, 240, hue);
      images.push({ key: `uploads/library/image-${index}.jpg`, bytes, itemId: itemIdForContent(bytes) });
      await pipeline.upload(images[index]!.key, bytes);
    }
    const clip = await readFile(makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(dataDir, 'clip.mp4'), faststart: true }));
    videoItemId = itemIdForContent(clip);
    await pipeline.upload('uploads/library/clip.mp4', clip);
    await pipeline.waitForIdle(120_000);
    await pipeline.stop();
    pipeline = await start(true);
  }, 240_000);

  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps answering from the built-in embedder’s index after the model is configured, by item and by image', async () => {
    const active = await getJsonObject<{ root: string }>(indexKeys.active());
    expect(active?.root).toBe(defaultKey);
    expect((await liveItems(defaultKey)).live).toBe(hues.length + 1);
    const first = await searchFirst(images[0]!.bytes);
    expect(first.itemId).toBe(images[0]!.itemId);
    const similar = await fetch(new URL(`/api/items/${images[1]!.itemId}/similar?k=3`, pipeline.viewerUrl));
    expect(similar.status).toBe(200);
  });

  it('resumes after being killed, fills the model’s own index, then switches queries to it', async () => {
    // Killed once it has embedded an item (SIGKILL: nothing runs on the way out).
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...backfillArgs()], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let waited = 0; (await modelVectors()) === 0 && waited < 60_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await exited;
    const made = await modelVectors();
    expect(made).toBeGreaterThan(0);
    expect((await getJsonObject<{ root: string }>(indexKeys.active()))?.root).toBe(defaultKey);

    const run = await cli(backfillArgs());
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, number | boolean>;
    expect(result).toMatchObject({ embedder: modelKey, failed: 0, complete: true, switched: true });
    expect((result.embedded as number) + (result.present as number)).toBe(hues.length + 1);
    expect(result.present).toBeGreaterThanOrEqual(made);
    expect(await modelVectors()).toBe(hues.length + 1);

    const { live, embedders } = await liveItems(modelKey);
    expect(live).toBe(hues.length + 1);
    for (const embedder of embedders.filter(Boolean)) expect(embedder).toEqual({ name: spec.name, version: spec.version, dimension: 5 });
    // The old index is left as it was: nothing of the model's was mixed into it.
    expect((await liveItems(defaultKey)).live).toBe(hues.length + 1);
    expect((await getJsonObject<{ root: string }>(indexKeys.active()))?.root).toBe(modelKey);
    const video = await getJsonObject<{ status: string }>(itemKeys.manifest(videoItemId));
    expect(video?.status).toBe('ready');
  }, 240_000);

  it('answers with the model once switched (after the query side’s refresh), and a new upload joins that index', async () => {
    await new Promise((resolve) => setTimeout(resolve, pipelineConfig.vq.query.refreshMs + 50));
    for (const image of images) {
      const first = await searchFirst(image.bytes);
      expect(first.itemId).toBe(image.itemId);
      expect(first.score).toBeCloseTo(1, 5);
    }
    const bytes = await makeJpeg(320, 240, '#808020');
    await pipeline.upload('uploads/library/new.jpg', bytes);
    await pipeline.waitForIdle(60_000);
    expect((await liveItems(modelKey)).live).toBe(hues.length + 2);
    expect((await searchFirst(bytes)).itemId).toBe(itemIdForContent(bytes));
  }, 120_000);
});
