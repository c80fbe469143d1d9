import {
  itemIdForContent,
  itemKeys,
  itemManifestSchemaVersion,
  putJson,
  type ItemManifest,
  type PreviewImage,
} from '../items/index.js';
import {
  EmptyFileError,
  FileTooLargeError,
  MediaRejectedError,
  renderImagePreviews,
  sniffMediaType,
} from '../media/index.js';
import { clearErrorRecord, writeErrorRecord } from './errorRecords.js';
import { itemIdForSource, linkSource, unlinkSource } from './sourceLinks.js';
import type { IngestDeps, IngestOutcome, UploadCreated } from './types.js';
import { immutableCacheControl } from './constants.js';
import { writeFoveatedPreview } from './writeFoveatedPreview.js';

/**
 * Turns one upload into exactly one item or exactly one error record.
 * Safe to run any number of times for the same upload: every write is idempotent
 * and the manifest is written last.
 */
export async function ingestUpload(deps: IngestDeps, upload: UploadCreated): Promise<IngestOutcome> {
  const { store, limits } = deps;
  const now = deps.now ?? (() => new Date());
  const info = await store.head(upload.key);
  if (!info) return { outcome: 'stale', reason: 'the upload no longer exists (deleted after this event)' };

  try {
    if (info.bytes === 0) throw new EmptyFileError();
    if (info.bytes > limits.maxBytes) throw new FileTooLargeError(info.bytes, limits.maxBytes);
    const bytes = await store.getBytes(upload.key);
    if (!bytes) return { outcome: 'stale', reason: 'the upload was deleted while it was being read' };
    const itemId = itemIdForContent(bytes);

    const previousItemId = await itemIdForSource(store, upload.key);
    if (previousItemId !== undefined && previousItemId !== itemId) await unlinkSource(store, upload.key);

    if (await store.head(itemKeys.manifest(itemId))) {
      await linkSource(store, upload.key, itemId);
      await clearErrorRecord(store, upload.key);
      return { outcome: 'duplicate', itemId };
    }

    const sniffed = await sniffMediaType(bytes);
    const rendered = await renderImagePreviews(bytes, sniffed.mime, limits);
    const previews: PreviewImage[] = [];
    for (const preview of rendered.previews) {
      const key = itemKeys.preview(itemId, `${preview.role}.webp`);
      await store.put(key, preview.data, { contentType: preview.mime, cacheControl: immutableCacheControl });
      const { data, ...described } = preview;
      previews.push({ ...described, key, bytes: data.byteLength });
    }
    const foveated = await writeFoveatedPreview(deps, itemId, bytes, sniffed.mime);
    const manifest: ItemManifest = {
      schemaVersion: itemManifestSchemaVersion,
      itemId,
      kind: sniffed.kind,
      status: 'ready',
      source: { key: upload.key, bytes: bytes.byteLength, mime: sniffed.mime, uploadedAt: info.lastModified.toISOString() },
      widthPx: rendered.widthPx,
      heightPx: rendered.heightPx,
      previews,
      foveated,
    };
    await linkSource(store, upload.key, itemId);
    await putJson(store, itemKeys.manifest(itemId), manifest);
    await clearErrorRecord(store, upload.key);
    return { outcome: 'created', itemId, manifest };
  } catch (error) {
    if (!(error instanceof MediaRejectedError)) throw error;
    // The key now holds bytes that are no item: forget what it produced before.
    await unlinkSource(store, upload.key);
    await writeErrorRecord(store, upload.key, { code: error.code, reason: error.message, bytes: info.bytes }, now());
    return { outcome: 'rejected', code: error.code, reason: error.message };
  }
}
