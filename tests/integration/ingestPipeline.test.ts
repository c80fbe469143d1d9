import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { buildS3EventNotification } from '../../functions/adapters/events/index.js';
import { itemIdForContent, itemKeys, type ErrorRecord, type ItemManifest, type ItemsPage } from '../../functions/domain/items/index.js';
import { firstViewTiles, type FoveatedManifest } from '../../functions/domain/foveate/index.js';
import { messageCounts } from '../../functions/adapters/store/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { bucketObjects } from '../helpers/bucketObjects.js';
import { foveatedManifestSchemaErrors } from '../helpers/foveatedManifestSchema.js';
import { describeEachBackend, startMotoServer, type MotoServer } from '../helpers/motoServer.js';
import { makeEquirectJpeg } from '../helpers/panoramaImages.js';
import { makeJpeg, makePng, makeWebp } from '../helpers/testImages.js';

const backends = [
  { name: 'embedded emulators (s3rver + fauxqs)', moto: false },
  { name: 'moto_server (native S3 notifications)', moto: true, needsMotoServer: true },
];

describeEachBackend(
  backends,
  (name) => `ingest pipeline on ${name}`,
  ({ moto }) => {
    let pipeline: LocalPipeline;
    let motoServer: MotoServer | undefined;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'xr-ingest-'));
      motoServer = moto ? await startMotoServer() : undefined;
      pipeline = await startLocalPipeline({ dataDir, ports: 'random', endpoint: motoServer?.endpoint, handlerLogLevel: 'SILENT' });
    });

    afterAll(async () => {
      await pipeline?.stop();
      await motoServer?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    const { getObject, getJsonObject } = bucketObjects(
      () => pipeline.s3,
      () => pipeline.resources.mediaBucket,
    );
    async function ingest(key: string, bytes: Buffer): Promise<void> {
      await pipeline.upload(key, bytes);
      await pipeline.waitForIdle();
    }
    async function deleteUpload(key: string): Promise<void> {
      await pipeline.s3.send(new DeleteObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }));
      await pipeline.waitForIdle();
    }
    async function queueDepth(queueUrl: string): Promise<number> {
      const counts = await messageCounts(pipeline.sqs, queueUrl);
      return counts.waiting + counts.inFlight;
    }

    it.each([
      { format: 'JPEG', make: () => makeJpeg(3000, 2000), mime: 'image/jpeg' },
      { format: 'PNG', make: () => makePng(800, 1200), mime: 'image/png' },
      { format: 'WebP', make: () => makeWebp(640, 480), mime: 'image/webp' },
    ])('turns a $format upload into a manifest and previews', async ({ make, mime, format }) => {
      const bytes = await make();
      const sourceSize = await sharp(bytes).metadata();
      const key = `uploads/formats/photo-${format}.${format.toLowerCase()}`;
      await ingest(key, bytes);

      const itemId = itemIdForContent(bytes);
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemId));
      expect(manifest).toMatchObject({ itemId, kind: 'image', status: 'ready', widthPx: sourceSize.width, heightPx: sourceSize.height });
      expect(manifest!.source).toMatchObject({ key, bytes: bytes.length, mime });
      expect(manifest!.previews.map((preview) => preview.role).sort()).toEqual(['preview', 'thumb']);
      for (const preview of manifest!.previews) {
        const stored = await getObject(preview.key);
        expect(stored?.length).toBe(preview.bytes);
        const decoded = await sharp(stored).metadata();
        expect(decoded.format).toBe('webp');
        expect([decoded.width, decoded.height]).toEqual([preview.widthPx, preview.heightPx]);
        expect(Math.max(preview.widthPx, preview.heightPx)).toBeLessThanOrEqual(pipelineConfig.image.previewLongSidePx);
        // Never upsampled, aspect kept within a pixel.
        expect(preview.widthPx).toBeLessThanOrEqual(sourceSize.width);
        expect(Math.abs(preview.widthPx / preview.heightPx - sourceSize.width / sourceSize.height)).toBeLessThan(0.01);
      }
      expect(await getObject(itemKeys.errorRecord(key))).toBeUndefined();
    });

    it.each([
      { name: 'a photo', key: 'uploads/foveated/photo.jpg', make: () => makeJpeg(2400, 1600, '#336699'), projection: 'flat' },
      {
        name: 'a 360° panorama (GPano XMP)',
        key: 'uploads/foveated/pano.jpg',
        make: () => makeEquirectJpeg(2048, 1024),
        projection: 'equirect',
      },
    ])(
      'writes foveated layers for $name: schema-valid, every file stored, the first view served statically',
      async ({ key, make, projection }) => {
        const bytes = await make();
        await ingest(key, bytes);
        const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(bytes)));
        expect(manifest!.previews.map((preview) => preview.role).sort()).toEqual(['preview', 'thumb']);
        expect(manifest!.foveated).toMatchObject({ schemaVersion: 1, projection, profiles: [...pipelineConfig.foveation.profiles] });
        const layers = await getJsonObject<FoveatedManifest>(manifest!.foveated!.key);
        expect(foveatedManifestSchemaErrors(layers)).toEqual([]);
        expect(layers!.surface.projection).toBe(projection);
        for (const layer of layers!.layers) {
          for (const tile of layer.tiles) {
            for (const file of tile.files) expect((await getObject(file.key))?.length).toBe(file.bytes);
          }
        }
        for (const profileId of pipelineConfig.foveation.profiles) {
          for (const { tile } of firstViewTiles(layers!, profileId)) {
            const file = tile.files[0]!;
            const response = await fetch(`${pipeline.viewerUrl}${file.key}`);
            expect(response.headers.get('content-type')).toBe(file.mime);
            const decoded = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
            expect([decoded.width, decoded.height]).toEqual([tile.widthPx, tile.heightPx]);
          }
        }
      },
    );

    it('auto-orients by EXIF before measuring and previewing', async () => {
      const bytes = await sharp(await makeJpeg(600, 300))
        .withMetadata({ orientation: 6 })
        .jpeg()
        .toBuffer();
      await ingest('uploads/rotated.jpg', bytes);
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(bytes)));
      expect([manifest!.widthPx, manifest!.heightPx]).toEqual([300, 600]);
      const preview = manifest!.previews.find((entry) => entry.role === 'preview')!;
      expect([preview.widthPx, preview.heightPx]).toEqual([300, 600]);
    });

    it('handles keys with spaces, plus signs, percent signs and unicode', async () => {
      const bytes = await makeJpeg(320, 240, '#aa22aa');
      const key = 'uploads/Holiday 2026/été + plage 100% ☀️ a=b.jpg';
      await ingest(key, bytes);
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(bytes)));
      expect(manifest?.source.key).toBe(key);
    });

    it('makes one item from the same bytes uploaded twice, and deletes it with its last source', async () => {
      const bytes = await makePng(300, 300, '#10e0e0');
      const itemId = itemIdForContent(bytes);
      await ingest('uploads/dup/first.png', bytes);
      const firstManifest = await getObject(itemKeys.manifest(itemId));
      await ingest('uploads/dup/second copy.png', bytes);
      expect((await getObject(itemKeys.manifest(itemId)))?.equals(firstManifest!)).toBe(true);
      const page = (await (await fetch(`${pipeline.viewerUrl}api/items?limit=200`)).json()) as ItemsPage;
      expect(page.items.filter((item) => item.itemId === itemId)).toHaveLength(1);

      await deleteUpload('uploads/dup/first.png');
      expect(await getObject(itemKeys.manifest(itemId))).toBeDefined();
      await deleteUpload('uploads/dup/second copy.png');
      expect(await getObject(itemKeys.manifest(itemId))).toBeUndefined();
      const left = await pipeline.s3.send(
        new ListObjectsV2Command({ Bucket: pipeline.resources.mediaBucket, Prefix: itemKeys.folder(itemId) }),
      );
      expect(left.KeyCount ?? 0).toBe(0);
    });

    it('is idempotent when an event is delivered again or re-enqueued by reconciliation', async () => {
      const bytes = await makeJpeg(500, 400, '#808000');
      const key = 'uploads/redelivered.jpg';
      await ingest(key, bytes);
      const itemId = itemIdForContent(bytes);
      const before = await getObject(itemKeys.manifest(itemId));
      const failedBefore = pipeline.failedMessages();

      const notification = buildS3EventNotification({
        eventName: 'ObjectCreated:Put',
        region: pipelineConfig.local.region,
        bucket: pipeline.resources.mediaBucket,
        key,
        eventTime: new Date(),
        size: bytes.length,
        sequencer: '0A1B2C3D4E5F',
        configurationId: 'redelivery-test',
      });
      for (let delivery = 0; delivery < 2; delivery += 1) {
        await pipeline.sqs.send(
          new SendMessageCommand({ QueueUrl: pipeline.resources.queues.ingest.work.url, MessageBody: JSON.stringify(notification) }),
        );
      }
      await pipeline.waitForIdle();
      expect((await getObject(itemKeys.manifest(itemId)))?.equals(before!)).toBe(true);

      await pipeline.s3.send(new DeleteObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: itemKeys.manifest(itemId) }));
      expect(await pipeline.reconcile()).toBe(1);
      await pipeline.waitForIdle();
      expect((await getObject(itemKeys.manifest(itemId)))?.equals(before!)).toBe(true);
      expect(await pipeline.reconcile()).toBe(0);
      expect(pipeline.failedMessages()).toBe(failedBefore);
    });

    it.each([
      {
        name: 'a truncated JPEG',
        key: 'uploads/bad/truncated.jpg',
        make: async () => (await makeJpeg(1200, 900)).subarray(0, 4000),
        code: 'truncated',
      },
      {
        name: 'a text file named .jpg',
        key: 'uploads/bad/notes.jpg',
        make: async () => Buffer.from('these are my notes, not a photo\n'),
        code: 'unsupported-type',
      },
      { name: 'an empty file', key: 'uploads/bad/empty.png', make: async () => Buffer.alloc(0), code: 'empty-file' },
    ])('records $name as an error, once, without retrying', async ({ key, make, code }) => {
      const failedBefore = pipeline.failedMessages();
      await ingest(key, await make());
      const record = await getJsonObject<ErrorRecord>(itemKeys.errorRecord(key));
      expect(record).toMatchObject({ key, code });
      expect(record!.reason.length).toBeGreaterThan(20);
      expect(pipeline.failedMessages()).toBe(failedBefore);
      expect(await queueDepth(pipeline.resources.queues.ingest.work.url)).toBe(0);
      expect(await queueDepth(pipeline.resources.queues.ingest.deadLetter.url)).toBe(0);
    });

    it('replaces an error record when the key is uploaded again with a good image', async () => {
      const key = 'uploads/bad/fixed-later.jpg';
      await ingest(key, Buffer.from('oops'));
      expect(await getObject(itemKeys.errorRecord(key))).toBeDefined();
      const good = await makeJpeg(200, 100, '#0055ff');
      await ingest(key, good);
      expect(await getObject(itemKeys.errorRecord(key))).toBeUndefined();
      expect(await getObject(itemKeys.manifest(itemIdForContent(good)))).toBeDefined();
    });

    it('accepts s3:TestEvent and records an unrecognised message without retrying it', async () => {
      const failedBefore = pipeline.failedMessages();
      const queueUrl = pipeline.resources.queues.ingest.work.url;
      const testEvent = {
        Service: 'Amazon S3',
        Event: 's3:TestEvent',
        Time: new Date().toISOString(),
        Bucket: pipeline.resources.mediaBucket,
      };
      await pipeline.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(testEvent) }));
      await pipeline.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }));
      await pipeline.waitForIdle();
      expect(pipeline.failedMessages()).toBe(failedBefore);
      const errors = await pipeline.s3.send(
        new ListObjectsV2Command({ Bucket: pipeline.resources.mediaBucket, Prefix: pipelineConfig.prefixes.errors }),
      );
      const records = await Promise.all((errors.Contents ?? []).map((object) => getJsonObject<ErrorRecord>(object.Key!)));
      expect(records.filter((record) => record?.code === 'unrecognised-message')).toHaveLength(1);
    });

    it('serves items through the API with validation', async () => {
      const page = (await (await fetch(`${pipeline.viewerUrl}api/items?limit=2`)).json()) as ItemsPage;
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeTypeOf('string');
      const next = (await (
        await fetch(`${pipeline.viewerUrl}api/items?limit=2&cursor=${encodeURIComponent(page.nextCursor!)}`)
      ).json()) as ItemsPage;
      expect(next.items.map((item) => item.itemId)).not.toContain(page.items[0]!.itemId);
      const bad = await fetch(`${pipeline.viewerUrl}api/items?limit=100000`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/limit/);
      expect((await fetch(`${pipeline.viewerUrl}api/items/not-an-id`)).status).toBe(400);
      expect((await fetch(`${pipeline.viewerUrl}api/items?cursor=../../etc`)).status).toBe(400);
      const single = await fetch(`${pipeline.viewerUrl}api/items/${page.items[0]!.itemId}`);
      expect(((await single.json()) as ItemManifest).itemId).toBe(page.items[0]!.itemId);
      const preview = await fetch(`${pipeline.viewerUrl}${page.items[0]!.previews[0]!.key}`);
      expect(preview.headers.get('content-type')).toBe('image/webp');
    });
  },
);

describe('local mode restart', () => {
  it('keeps items across a restart and re-enqueues uploads whose events were lost', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'xr-restart-'));
    try {
      const first = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
      const kept = await makeJpeg(400, 300, '#ff8800');
      await first.upload('uploads/kept.jpg', kept);
      await first.waitForIdle();
      // Stop the workers' world before this upload's event is handled: the queue is in memory.
      const lost = await makePng(300, 400, '#0088ff');
      await first.stop();
      const second = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
      try {
        await second.upload('uploads/lost.png', lost);
        await second.stop();
      } catch (error) {
        await second.stop();
        throw error;
      }
      const third = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
      try {
        await third.waitForIdle();
        const before = await third.countOutcomes();
        expect(before.uploads).toBe(2);
        const requeued = await third.reconcile();
        await third.waitForIdle();
        const after = await third.countOutcomes();
        expect(after).toEqual({ uploads: 2, items: 2, errors: 0 });
        expect(requeued).toBe(before.uploads - before.items);
      } finally {
        await third.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
