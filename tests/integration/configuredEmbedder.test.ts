import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, readLambdaEnv, type EmbeddingModelSpec } from '../../functions/config/index.js';
import { configuredEmbedder, EmbeddingModelLoadError } from '../../functions/adapters/embed/index.js';
import { createS3Client } from '../../functions/adapters/store/index.js';
import { decodeEmbedding, embedderKey } from '../../functions/domain/embed/index.js';
import { createOnnxEmbedder, type OnnxEmbedder } from '../../functions/domain/embed/onnx.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { loadIndexShard, scopedIndexStorage, shardOfItem } from '../../functions/domain/vq/index.js';
import type { SimilarItem } from '../../functions/stages/api/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import { buildIngestHandler } from '../../functions/handlers/ingest.js';
import type { StageWiring } from '../../functions/handlers/stageWiring.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { startEmbeddedEmulators, startLocalPipeline, type EmbeddedEmulators, type LocalPipeline } from '../../local/index.js';
import { bucketObjects } from '../helpers/bucketObjects.js';
import { sqsEvent, testContext, uploadCreatedRecord } from '../helpers/sqsEvents.js';
import { makeJpeg } from '../helpers/testImages.js';
import { makeClip } from '../helpers/testVideos.js';
import { tinyEncoderModel, tinyEncoderPreprocessing } from '../helpers/tinyOnnxModel.js';

/** A real ONNX model (channel means projected to 5 floats): its vectors differ from the default embedder's in every way. */
const model = tinyEncoderModel();
const spec: EmbeddingModelSpec = { name: 'tiny-test-encoder', version: '2024-test', preprocessing: tinyEncoderPreprocessing };
const hues = ['#c04020', '#20c040', '#4020c0', '#c0c020'];

describe('a model of your own in the local pipeline: ingest, video, the indexer and search all use it', () => {
  let dataDir: string;
  let pipeline: LocalPipeline;
  let reference: OnnxEmbedder;
  const images: { key: string; bytes: Buffer; itemId: string }[] = [];
  let video: { key: string; itemId: string };
  const { getObject, getJsonObject } = bucketObjects(
    () => pipeline.s3,
    () => pipeline.resources.mediaBucket,
  );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-onnx-local-'));
    const modelPath = join(dataDir, 'tiny.onnx');
    await writeFile(modelPath, model);
    reference = await createOnnxEmbedder({ ...spec, model });
    pipeline = await startLocalPipeline({
      dataDir: join(dataDir, 'data'),
      ports: 'random',
      handlerLogLevel: 'SILENT',
      embeddingModel: { model: modelPath, spec },
    });
    for (const [index, hue] of hues.entries()) {
      const bytes = await makeJpeg(320, 240, hue);
      images.push({ key: `uploads/onnx/image-${index}.jpg`, bytes, itemId: itemIdForContent(bytes) });
    }
    const clip = await readFile(makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(dataDir, 'clip.mp4'), faststart: true }));
    video = { key: 'uploads/onnx/clip.mp4', itemId: itemIdForContent(clip) };
    for (const image of images) await pipeline.upload(image.key, image.bytes);
    await pipeline.upload(video.key, clip);
    await pipeline.waitForIdle(120_000);
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
    await reference?.release();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ingest records the model in the manifest and stores exactly the vector the model gives for the upload', async () => {
    for (const image of images) {
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(image.itemId));
      expect(manifest?.status).toBe('ready');
      const key = itemKeys.embedding(image.itemId, embedderKey(spec));
      expect(manifest?.embedding).toEqual({ key, name: spec.name, version: spec.version, dimension: 5 });
      const stored = decodeEmbedding(new Uint8Array((await getObject(key))!));
      expect(Array.from(stored)).toEqual(Array.from(await reference.embed({ bytes: image.bytes })));
    }
  });

  it('video embeds its keyframes with the model too', async () => {
    const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(video.itemId));
    expect(manifest?.status).toBe('ready');
    expect(manifest?.embedding).toMatchObject({ name: spec.name, version: spec.version, dimension: 5 });
  });

  it("the indexer builds that model's own index", async () => {
    const storage = scopedIndexStorage(new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated'), embedderKey(spec));
    const shard = await loadIndexShard(storage, shardOfItem(images[0]!.itemId, pipelineConfig.vq.shards));
    expect(shard?.manifest.embedder).toEqual({ name: spec.name, version: spec.version, dimension: 5 });
  });

  it('a search by an uploaded image embeds it with the model and finds that item first', async () => {
    for (const image of images) {
      const response = await fetch(new URL('/api/search?k=3', pipeline.viewerUrl), {
        method: 'POST',
        body: new Uint8Array(image.bytes),
        headers: { 'content-type': 'image/jpeg' },
      });
      expect(response.status).toBe(200);
      const { similar } = (await response.json()) as { similar: SimilarItem[] };
      expect(similar[0]!.itemId).toBe(image.itemId);
      expect(similar[0]!.score).toBeCloseTo(1, 5);
    }
  });
});

describe('a model of your own read from S3, as the Lambda functions read it', () => {
  let dataDir: string;
  let emulators: EmbeddedEmulators;
  let s3: S3Client;
  const bucket = 'media';
  const modelBucket = 'models';
  const env = (model: string) =>
    readLambdaEnv({
      [lambdaEnvNames.mediaBucket]: bucket,
      [lambdaEnvNames.embeddingModel]: model,
      [lambdaEnvNames.embeddingModelSpec]: JSON.stringify(spec),
    });
  const wiring = (model: string): StageWiring => {
    const lambdaEnv = env(model);
    return {
      env: lambdaEnv,
      s3,
      sqs: undefined as never,
      wrapStore: (store) => store,
      conditionalWrites: 'emulated',
      embedder: configuredEmbedder(lambdaEnv.embeddingModel, s3),
      logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
      inLambda: false,
    };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-onnx-s3-'));
    emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
    const { local } = pipelineConfig;
    s3 = createS3Client({
      region: local.region,
      endpoint: emulators.s3Endpoint,
      credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey },
    });
    for (const name of [bucket, modelBucket]) await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutObjectCommand({ Bucket: modelBucket, Key: 'encoders/tiny.onnx', Body: model }));
    await s3.send(new PutObjectCommand({ Bucket: modelBucket, Key: 'encoders/broken.onnx', Body: 'not a model' }));
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the ingest handler downloads the model once and embeds the upload with it', async () => {
    const bytes = await makeJpeg(200, 150, '#208080');
    const key = 'uploads/s3-model.jpg';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    const setup = wiring(`s3://${modelBucket}/encoders/tiny.onnx`);
    const handler = buildIngestHandler(setup);
    const result = await handler(sqsEvent(uploadCreatedRecord(bucket, key)), testContext());
    expect(result.batchItemFailures).toEqual([]);
    const { getJsonObject } = bucketObjects(
      () => s3,
      () => bucket,
    );
    const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(bytes)));
    expect(manifest?.embedding).toMatchObject({ name: spec.name, version: spec.version, dimension: 5 });
    // Once per environment: the loader hands back the embedder it made.
    expect(await setup.embedder()).toBe(await setup.embedder());
  });

  it.each([
    {
      what: 'a missing object',
      model: `s3://${modelBucket}/encoders/missing.onnx`,
      error: /s3:\/\/models\/encoders\/missing\.onnx: no such object/,
    },
    {
      what: 'bytes that are not a model',
      model: `s3://${modelBucket}/encoders/broken.onnx`,
      error: /broken\.onnx: ONNX image encoder: cannot load the model/,
    },
    { what: 'a missing file', model: '/nonexistent/model.onnx', error: /\/nonexistent\/model\.onnx: cannot read the file: ENOENT/ },
  ])('fails each invocation with the reason for $what, and tries again on the next', async ({ model, error }) => {
    const setup = wiring(model);
    const handler = buildIngestHandler(setup);
    const event = sqsEvent(uploadCreatedRecord(bucket, 'uploads/never.jpg'));
    await expect(handler(event, testContext())).rejects.toThrow(EmbeddingModelLoadError);
    await expect(handler(event, testContext())).rejects.toThrow(error);
  });
});
