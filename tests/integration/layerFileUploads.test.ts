import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { itemKeys } from '../../functions/domain/items/index.js';
import type { EncodedLayerFile } from '../../functions/domain/media/index.js';
import { layerFileUploads } from '../../functions/stages/ingest/layerFileUploads.js';
import { startEmbeddedEmulators, type EmbeddedEmulators } from '../../local/embeddedEmulators.js';

const file = (layer: string, col: number, format: EncodedLayerFile['format']): EncodedLayerFile => ({
  layer,
  col,
  row: 0,
  format,
  quality: 80,
  widthPx: 8,
  heightPx: 8,
  data: Buffer.from(`${layer}/${col}.${format}`),
});

describe('layerFileUploads (real S3 emulator)', () => {
  let dataDir: string;
  let emulators: EmbeddedEmulators;
  let store: S3ObjectStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-layer-uploads-'));
    emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
    const s3 = createS3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      endpoint: emulators.s3Endpoint,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'xr-layer-uploads' }));
    store = new S3ObjectStore(s3, 'xr-layer-uploads');
  });

  afterAll(async () => {
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores nothing until released, then every file added before and after, each once under its tile key', async () => {
    const itemId = '0123456789abcdef0123456789abcdef';
    const uploads = layerFileUploads(store, itemId);
    const early = Array.from({ length: 20 }, (_, col) => file('tiles-25ppd', col, 'webp'));
    uploads.add(early);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const keys: string[] = [];
    for await (const key of store.listKeys(itemKeys.folder(itemId))) keys.push(key);
    expect(keys).toEqual([]);

    uploads.release();
    uploads.add([file('base-2ppd', 0, 'avif'), file('base-2ppd', 0, 'jpeg')]);
    const stored = await uploads.finished();
    expect(stored).toHaveLength(22);
    expect(new Set(stored.map((entry) => entry.key)).size).toBe(22);
    for (const entry of stored) {
      expect(entry.key.startsWith(itemKeys.preview(itemId, 'foveated/'))).toBe(true);
      expect((await store.head(entry.key))?.bytes).toBe(entry.bytes);
    }
    expect(stored.find((entry) => entry.format === 'jpeg')!.key).toBe(itemKeys.preview(itemId, 'foveated/base-2ppd/0_0.jpg'));
  });
});
