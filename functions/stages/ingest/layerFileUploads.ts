import pLimit from 'p-limit';
import { foveatedFileKey, mimeByFormat, type StoredLayerFile } from '../../domain/foveate/index.js';
import { itemKeys, type ObjectStore } from '../../domain/items/index.js';
import type { EncodedLayerFile } from '../../domain/media/index.js';
import { immutableCacheControl, previewPutConcurrency } from './constants.js';

export interface LayerFileUploads {
  /** Queues encoded files; they are stored once released, at most previewPutConcurrency at a time, in the order added. */
  add(files: readonly EncodedLayerFile[]): void;
  /** From now on queued files are stored. */
  release(): void;
  /** Every file added so far, once all of them are stored. */
  finished(): Promise<StoredLayerFile[]>;
}

/**
 * Stores an item's foveated layer files as they are encoded, so the last
 * tile's encoding, not every upload, is what the layer manifest waits for.
 * Nothing is written before release(): ingest encodes while the item is not
 * yet viewable, and a rejected upload must leave nothing behind.
 */
export function layerFileUploads(store: ObjectStore, itemId: string): LayerFileUploads {
  const prefix = itemKeys.preview(itemId, 'foveated/');
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const uploads: Promise<StoredLayerFile>[] = [];
  const putSlot = pLimit(previewPutConcurrency);

  async function upload(file: EncodedLayerFile): Promise<StoredLayerFile> {
    await released;
    const { layer, col, row, format, data } = file;
    const key = foveatedFileKey(prefix, { layer, col, row, format });
    await putSlot(() => store.put(key, data, { contentType: mimeByFormat[format], cacheControl: immutableCacheControl }));
    return { layer, col, row, format, key, bytes: data.byteLength };
  }

  return {
    add(files) {
      for (const file of files) {
        const stored = upload(file);
        // Seen by finished(); a failure nobody waits for (the render failed first) is not an unhandled rejection.
        stored.catch(() => undefined);
        uploads.push(stored);
      }
    },
    release,
    finished: () => Promise.all(uploads),
  };
}
