import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, embedderKey } from '../../functions/domain/embed/index.js';
import type { FoveatedManifest } from '../../functions/domain/foveate/index.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { IndexShardWriter, scopedIndexStorage, shardOfItem } from '../../functions/domain/vq/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { auditIndependently, type IndependentAudit, type SentUpload } from '../../bench/faults/independentAudit.js';
import { textNamedJpg } from '../helpers/hostileFiles.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * The fault bench's audit must catch what it exists to catch: a clean run
 * passes it, and each planted defect (a missing tile, a preview of other
 * dimensions, an item no upload explains, a stale index entry, an object
 * nothing names, a lost error record) fails it, and only on its own count.
 */
describe('the independent audit', () => {
  let dataDir: string;
  let pipeline: LocalPipeline;
  const uploads: SentUpload[] = [];
  const audit = () => auditIndependently(pipeline.s3, pipeline.resources.mediaBucket, uploads);
  const bucket = () => pipeline.resources.mediaBucket;
  const read = async (key: string) =>
    Buffer.from(await (await pipeline.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }))).Body!.transformToByteArray());
  const put = (key: string, body: Uint8Array) => pipeline.s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body }));
  const remove = (key: string) => pipeline.s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  const counts = ({ problems: _problems, ...rest }: IndependentAudit) => rest;
  const manifestOf = async (upload: SentUpload) =>
    JSON.parse((await read(itemKeys.manifest(itemIdForContent(upload.bytes)))).toString('utf8')) as ItemManifest;

  /** Plants a defect, audits, undoes it; the clean audit is the reference. */
  async function withDefect(plant: () => Promise<() => Promise<void>>): Promise<IndependentAudit> {
    const undo = await plant();
    try {
      return await audit();
    } finally {
      await undo();
    }
  }

  let clean: IndependentAudit;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-audit-'));
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
    for (const [index, hue] of ['#c04020', '#20c040', '#4020c0'].entries())
      uploads.push({ key: `uploads/audit/photo-${index}.jpg`, bytes: await makeJpeg(640, 480, hue), poison: false });
    uploads.push({ key: 'uploads/audit/diary.jpg', bytes: textNamedJpg(), poison: true });
    for (const upload of uploads) await pipeline.upload(upload.key, upload.bytes);
    await pipeline.waitForIdle(120_000);
    clean = await audit();
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('passes a clean run: every good file a complete item, the bad file one specific error record, nothing extra', () => {
    expect(clean.problems).toEqual([]);
    expect(counts(clean)).toEqual({
      uploads: 4,
      items: 3,
      errors: 1,
      lost: 0,
      duplicateItems: 0,
      wrongItems: 0,
      orphanObjects: 0,
      messageRecords: 0,
      indexEntriesMismatch: 0,
      selfQueryMisses: 0,
    });
  });

  it('fails an item with a missing tile', async () => {
    const manifest = await manifestOf(uploads[0]!);
    const foveated = JSON.parse((await read(manifest.foveated!.key)).toString('utf8')) as FoveatedManifest;
    const tileKey = foveated.layers.at(-1)!.tiles[0]!.files[0]!.key;
    const found = await withDefect(async () => {
      const bytes = await read(tileKey);
      await remove(tileKey);
      return async () => void (await put(tileKey, bytes));
    });
    expect(counts(found)).toEqual({ ...counts(clean), items: 2, wrongItems: 1 });
    expect(found.problems.join('\n')).toContain(`${tileKey} is missing`);
  });

  it('fails an item whose preview has other dimensions than its manifest claims', async () => {
    const preview = (await manifestOf(uploads[1]!)).previews[0]!;
    const found = await withDefect(async () => {
      const bytes = await read(preview.key);
      await put(
        preview.key,
        await sharp(bytes)
          .resize(preview.widthPx - 1, preview.heightPx)
          .webp()
          .toBuffer(),
      );
      return async () => void (await put(preview.key, bytes));
    });
    expect(found.wrongItems).toBe(1);
    expect(found.problems.join('\n')).toContain(preview.key);
  });

  it('fails an item that no upload explains', async () => {
    const stranger = await makeJpeg(64, 64, '#808080');
    const manifest = { ...(await manifestOf(uploads[2]!)), itemId: itemIdForContent(stranger) };
    const key = itemKeys.manifest(manifest.itemId);
    const found = await withDefect(async () => {
      await put(key, Buffer.from(JSON.stringify(manifest)));
      return async () => void (await remove(key));
    });
    expect(counts(found)).toEqual({ ...counts(clean), duplicateItems: 1 });
  });

  it('fails an index entry that is no ready item', async () => {
    const embedder = createDefaultEmbedder();
    const storage = scopedIndexStorage(new S3IndexStorage(pipeline.s3, bucket(), 'emulated'), embedderKey(embedder));
    const staleId = 'f'.repeat(32);
    const writer = new IndexShardWriter(storage, {
      shard: shardOfItem(staleId, pipelineConfig.vq.shards),
      config: { ...pipelineConfig.vq.index, dimension: embedder.dimension },
      embedder,
    });
    const vector = await embedder.embed({ bytes: await makeJpeg(64, 64, '#123456') });
    const found = await withDefect(async () => {
      await writer.apply([{ op: 'upsert', id: staleId, vector }]);
      return async () => void (await writer.apply([{ op: 'delete', id: staleId }]));
    });
    expect(counts(found)).toEqual({ ...counts(clean), indexEntriesMismatch: 1 });
    expect(found.problems).toEqual([`the index holds ${staleId}, which is no ready item`]);
  });

  it('fails a ready item the index lost', async () => {
    const embedder = createDefaultEmbedder();
    const storage = scopedIndexStorage(new S3IndexStorage(pipeline.s3, bucket(), 'emulated'), embedderKey(embedder));
    const itemId = itemIdForContent(uploads[0]!.bytes);
    const vector = await embedder.embed({ bytes: uploads[0]!.bytes });
    const writer = new IndexShardWriter(storage, {
      shard: shardOfItem(itemId, pipelineConfig.vq.shards),
      config: { ...pipelineConfig.vq.index, dimension: embedder.dimension },
      embedder,
    });
    const found = await withDefect(async () => {
      await writer.apply([{ op: 'delete', id: itemId }]);
      return async () => void (await writer.apply([{ op: 'upsert', id: itemId, vector }]));
    });
    expect(counts(found)).toEqual({ ...counts(clean), indexEntriesMismatch: 1 });
    expect(found.problems).toEqual([`ready item ${itemId} is not in the index`]);
  });

  it('counts an object nothing names as an orphan, and a lost error record as lost', async () => {
    const junk = `${itemKeys.folder(itemIdForContent(uploads[0]!.bytes))}preview/leftover.webp`;
    const orphaned = await withDefect(async () => {
      await put(junk, Buffer.from('left behind by a crash'));
      return async () => void (await remove(junk));
    });
    expect(counts(orphaned)).toEqual({ ...counts(clean), orphanObjects: 1 });

    const recordKey = itemKeys.errorRecord(uploads[3]!.key);
    const lost = await withDefect(async () => {
      const bytes = await read(recordKey);
      await remove(recordKey);
      return async () => void (await put(recordKey, bytes));
    });
    expect(counts(lost)).toEqual({ ...counts(clean), errors: 0, lost: 1 });
  });

  it('is clean again once every defect is undone', async () => {
    expect((await audit()).problems).toEqual([]);
  });
});
