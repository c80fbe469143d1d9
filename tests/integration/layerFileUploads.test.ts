import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3ObjectStore } from '../../functions/adapters/store/index.js';
import { itemKeys } from '../../functions/domain/items/index.js';
import type { EncodedLayerFile } from '../../functions/domain/media/index.js';
import { layerFileUploads } from '../../functions/stages/ingest/layerFileUploads.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';

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
  let backend: EmulatedBackend;
  let store: S3ObjectStore;

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    store = backend.store;
  });

  afterAll(async () => {
    await backend?.stop();
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
