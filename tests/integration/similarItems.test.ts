import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimilarItem } from '../../functions/stages/api/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { createDefaultEmbedder } from '../../functions/domain/embed/defaultEmbedder.js';
import { decodeEmbedding } from '../../functions/domain/embed/embeddingBytes.js';
import { embedderKey } from '../../functions/domain/embed/index.js';
import { buildIndexUpdateMessages } from '../../functions/adapters/events/index.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { loadIndexShard, scopedIndexStorage, shardOfItem } from '../../functions/domain/vq/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { bucketObjects } from '../helpers/bucketObjects.js';
import { transformedCopy } from '../helpers/imageTransforms.js';
import { describeEachBackend, startMotoServer, type MotoServer } from '../helpers/motoServer.js';

const backends = [
  { name: 'embedded emulators (s3rver + fauxqs)', moto: false },
  { name: 'moto_server', moto: true, needsMotoServer: true },
];

/** A seeded scene of coloured shapes: scenes with different seeds look different, one seed looks the same. */
function scene(seed: number, widthPx = 640, heightPx = 480): Promise<Buffer> {
  let state = seed * 2654435761;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const colour = () => `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  const shapes = Array.from({ length: 14 }, () =>
    random() < 0.5
      ? `<circle cx="${random() * widthPx}" cy="${random() * heightPx}" r="${20 + random() * 120}" fill="${colour()}"/>`
      : `<rect x="${random() * widthPx}" y="${random() * heightPx}" width="${30 + random() * 250}" height="${30 + random() * 200}" fill="${colour()}"/>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}"><rect width="100%" height="100%" fill="${colour()}"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

describeEachBackend(
  backends,
  (name) => `similar items on ${name}`,
  ({ moto }) => {
    let pipeline: LocalPipeline;
    let motoServer: MotoServer | undefined;
    let dataDir: string;
    const originals: { key: string; bytes: Buffer; itemId: string }[] = [];
    let copy: { key: string; bytes: Buffer; itemId: string };

    const { getObject, getJsonObject } = bucketObjects(
      () => pipeline.s3,
      () => pipeline.resources.mediaBucket,
    );
    const api = async (path: string, init?: RequestInit) => {
      const response = await fetch(new URL(path, pipeline.viewerUrl), init);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const similarTo = async (itemId: string, k = 5) => (await api(`/api/items/${itemId}/similar?k=${k}`)).body.similar as SimilarItem[];
    const shardOf = (itemId: string) => shardOfItem(itemId, pipelineConfig.vq.shards);
    const loadShard = (itemId: string) =>
      loadIndexShard(
        scopedIndexStorage(
          new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, moto ? 'native' : 'emulated'),
          embedderKey(createDefaultEmbedder()),
        ),
        shardOf(itemId),
      );

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'xr-similar-'));
      motoServer = moto ? await startMotoServer() : undefined;
      pipeline = await startLocalPipeline({ dataDir, ports: 'random', endpoint: motoServer?.endpoint, handlerLogLevel: 'SILENT' });
      for (let seed = 1; seed <= 6; seed += 1) {
        const bytes = await scene(seed);
        originals.push({ key: `uploads/similar/scene-${seed}.jpg`, bytes, itemId: itemIdForContent(bytes) });
      }
      const copyBytes = await transformedCopy(originals[2]!.bytes, 'crop-80%');
      copy = { key: 'uploads/similar/scene-3-cropped.jpg', bytes: copyBytes, itemId: itemIdForContent(copyBytes) };
      for (const upload of [...originals, copy]) await pipeline.upload(upload.key, upload.bytes);
      await pipeline.waitForIdle(120_000);
    }, 180_000);

    afterAll(async () => {
      await pipeline?.stop();
      await motoServer?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('stores each item embedding and records its model in the manifest', async () => {
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(copy.itemId));
      const embedder = createDefaultEmbedder();
      expect(manifest!.embedding).toEqual({
        key: itemKeys.embedding(copy.itemId, embedderKey(embedder)),
        name: embedder.name,
        version: embedder.version,
        dimension: embedder.dimension,
      });
      const stored = await getObject(manifest!.embedding!.key);
      expect(decodeEmbedding(stored!)).toEqual(await embedder.embed({ bytes: copy.bytes }));
    });

    it('finds the near-duplicate first, never the item itself, with thumbnails to show', async () => {
      const similar = await similarTo(originals[2]!.itemId);
      expect(similar[0]!.itemId).toBe(copy.itemId);
      expect(similar.map((hit) => hit.itemId)).not.toContain(originals[2]!.itemId);
      expect(similar.length).toBe(5);
      for (let index = 1; index < similar.length; index += 1)
        expect(similar[index - 1]!.score).toBeGreaterThanOrEqual(similar[index]!.score);
      expect(similar[0]!.thumbKey).toBe(itemKeys.preview(copy.itemId, 'thumb.webp'));
    });

    it('searches by image bytes', async () => {
      const query = await transformedCopy(originals[4]!.bytes, 'brightness+20%');
      const { status, body } = await api('/api/search?k=3', {
        method: 'POST',
        body: new Uint8Array(query),
        headers: { 'content-type': 'image/jpeg' },
      });
      expect(status).toBe(200);
      expect((body.similar as SimilarItem[])[0]!.itemId).toBe(originals[4]!.itemId);
    });

    it('keeps one index entry per item when updates are delivered again', async () => {
      const before = await loadShard(copy.itemId);
      for (let repeat = 0; repeat < 3; repeat += 1) {
        await pipeline.sqs.send(
          new SendMessageCommand({
            QueueUrl: pipeline.resources.queues.index.work.url,
            MessageBody: buildIndexUpdateMessages([{ op: 'upsert', itemId: copy.itemId }], pipelineConfig.indexer.messageBytes)[0],
            MessageGroupId: shardOf(copy.itemId),
            MessageDeduplicationId: `repeat-${repeat}`,
          }),
        );
      }
      await pipeline.waitForIdle();
      const after = await loadShard(copy.itemId);
      expect(after!.manifest.liveItems).toBe(originals.length + 1);
      expect(after!.manifest.generation).toBe(before!.manifest.generation);
    });

    it('drops a deleted item from the results', async () => {
      await pipeline.s3.send(new DeleteObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: copy.key }));
      await pipeline.waitForIdle();
      const similar = await similarTo(originals[2]!.itemId);
      expect(similar.map((hit) => hit.itemId)).not.toContain(copy.itemId);
      expect((await loadShard(copy.itemId))!.manifest.liveItems).toBe(originals.length);
    });

    it('drops an item whose upload was overwritten with other bytes, and indexes the new one', async () => {
      const replaced = originals[5]!;
      const replacement = await scene(99);
      await pipeline.upload(replaced.key, replacement);
      await pipeline.waitForIdle(120_000);
      const shard = await loadShard(replaced.itemId);
      expect(
        shard!.index.search(await createDefaultEmbedder().embed({ bytes: replaced.bytes }), { k: 10, nprobe: 64 }).map((hit) => hit.id),
      ).not.toContain(replaced.itemId);
      expect(shard!.manifest.liveItems).toBe(originals.length);
      const { body } = await api('/api/search?k=1', { method: 'POST', body: new Uint8Array(replacement) });
      expect((body.similar as SimilarItem[])[0]!.itemId).toBe(itemIdForContent(replacement));
    });

    it.each([
      { path: `/api/items/${'0'.repeat(32)}/similar`, status: 404, error: /no item/ },
      { path: '/api/items/not-an-id/similar', status: 400, error: /32 lowercase hex/ },
      { path: 'k=0', status: 400, error: /k must be a whole number from 1 to/ },
      { path: 'k=abc', status: 400, error: /k must be a whole number/ },
      { path: `k=${pipelineConfig.vq.query.kMax + 1}`, status: 400, error: /k must be a whole number/ },
    ])('answers $status to $path', async ({ path, status, error }) => {
      const url = path.startsWith('/') ? path : `/api/items/${originals[0]!.itemId}/similar?${path}`;
      const answer = await api(url);
      expect(answer.status).toBe(status);
      expect(answer.body.error).toMatch(error);
    });

    it.each([
      { name: 'an empty body', body: () => Buffer.alloc(0), status: 400, error: /send the image bytes/ },
      { name: 'text', body: () => Buffer.from('not an image at all'), status: 415, error: /not an image of a supported type/ },
      {
        name: 'a body over the limit',
        body: () => Buffer.alloc(pipelineConfig.vq.query.maxImageBytes + 10, 1),
        status: 413,
        error: /the limit is/,
      },
      // Real JPEG bytes, declared as something else: the declaration is refused before the bytes are looked at.
      {
        name: 'an image declared as text',
        body: () => originals[0]!.bytes,
        contentType: 'text/plain',
        status: 415,
        error: /Content-Type "text\/plain" is not an image/,
      },
    ])('refuses a search with $name', async ({ body, contentType, status, error }) => {
      const answer = await api('/api/search', {
        method: 'POST',
        body: new Uint8Array(body()),
        ...(contentType ? { headers: { 'content-type': contentType } } : {}),
      });
      expect(answer.status).toBe(status);
      expect(answer.body.error).toMatch(error);
    });

    it('refuses GET on search and POST on similar', async () => {
      expect((await api('/api/search')).status).toBe(405);
      expect((await api(`/api/items/${originals[0]!.itemId}/similar`, { method: 'POST', body: 'x' })).status).toBe(405);
    });
  },
);
