import { itemKeys, type ObjectStore, type PreviewImage } from '../../domain/items/index.js';
import type { RenderedPreview } from '../../domain/media/index.js';
import { immutableCacheControl } from './constants.js';

/** Stores an item's thumb and first preview (of an image, or of a video's poster) and describes them for its manifest. */
export async function storePreviews(store: ObjectStore, itemId: string, rendered: readonly RenderedPreview[]): Promise<PreviewImage[]> {
  const previews: PreviewImage[] = [];
  for (const preview of rendered) {
    const key = itemKeys.preview(itemId, `${preview.role}.webp`);
    await store.put(key, preview.data, { contentType: preview.mime, cacheControl: immutableCacheControl });
    const { data, ...described } = preview;
    previews.push({ ...described, key, bytes: data.byteLength });
  }
  return previews;
}
