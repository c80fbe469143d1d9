import { pipelineConfig } from '../../config/index.js';
import { createDefaultEmbedder } from '../../domain/embed/index.js';
import {
  itemIdForContent,
  itemKeys,
  itemManifestSchemaVersion,
  putJson,
  type EmbeddingRef,
  type ItemManifest,
} from '../../domain/items/index.js';
import {
  EmptyFileError,
  FileTooLargeError,
  MediaRejectedError,
  renderImagePreviews,
  sniffMediaType,
  type RenderedImage,
  type SupportedImageMime,
} from '../../domain/media/index.js';
import { clearErrorRecord } from './errorRecords.js';
import { announceToIndex, storeItemEmbedding } from './itemEmbedding.js';
import { rejectUpload, settleExistingItem } from './itemOutcomes.js';
import { routeVideo } from './routeVideo.js';
import { linkSource } from './sourceLinks.js';
import { uploadVersion } from './uploadVersion.js';
import type { IngestDeps, IngestOutcome, UploadCreated } from './types.js';
import { storePreviews } from './storePreviews.js';
import { layerFileUploads } from './layerFileUploads.js';
import { renderFoveatedPreview, storeFoveatedManifest } from './writeFoveatedPreview.js';

/**
 * Turns one upload into exactly one item or exactly one error record.
 * Safe to run any number of times for the same upload: every write is idempotent,
 * and each manifest write comes after the objects it names. A re-delivery of an
 * item still 'rendering' (a crash mid-layers) completes it.
 */
export async function ingestUpload(deps: IngestDeps, upload: UploadCreated): Promise<IngestOutcome> {
  const { store, limits } = deps;
  const now = deps.now ?? (() => new Date());
  const info = await store.head(upload.key);
  if (!info) return { outcome: 'stale', reason: 'the upload no longer exists (deleted after this event)' };

  try {
    if (info.bytes === 0) throw new EmptyFileError();
    // Sniffed from the first bytes, before the image size limit: a video is routed, never read whole here.
    const head = await store.getHead(upload.key, pipelineConfig.ingest.sniffBytes);
    if (!head) return { outcome: 'stale', reason: 'the upload was deleted while it was being read' };
    const sniffed = await sniffMediaType(head);
    if (sniffed.kind === 'video') return await routeVideo(deps, { key: upload.key, mime: sniffed.mime });
    if (info.bytes > limits.maxBytes) throw new FileTooLargeError(info.bytes, limits.maxBytes);
    const bytes = await store.getBytes(upload.key);
    if (!bytes) return { outcome: 'stale', reason: 'the upload was deleted while it was being read' };
    const itemId = itemIdForContent(bytes);

    const settled = await settleExistingItem(deps, upload.key, itemId, uploadVersion(info));
    if (settled.duplicate) {
      await announceToIndex(deps, itemId);
      return { outcome: 'duplicate', itemId };
    }
    const { existing } = settled;

    // Viewable first: the previews and a 'rendering' manifest land in well under a second. The previews
    // have the cores to themselves (sharing them delays the first view more than it hastens the layers).
    await linkSource(store, upload.key, itemId, uploadVersion(info));
    const previews = existing ? undefined : await renderImagePreviews(bytes, sniffed.mime, limits);
    // The foveated layers (most of the CPU) render while the previews are stored; each file is stored as
    // it is encoded, but only once the item is viewable, so a rejected upload leaves nothing behind.
    const uploads = layerFileUploads(store, itemId);
    const rendering = renderFoveatedPreview(deps, bytes, sniffed.mime, uploads.add);
    rendering.catch(() => undefined);
    const viewable = existing ?? (await writeViewableItem(deps, itemId, previews!, sniffed.mime, upload.key, info, bytes.byteLength));
    await clearErrorRecord(store, upload.key);
    uploads.release();
    const layers = rendering.then(
      async ({ plan }) => storeFoveatedManifest(deps, itemId, plan, await uploads.finished()),
      (error: unknown) => {
        // The item exists and must stay: a failure here is retried, never turned into a rejection.
        throw error instanceof MediaRejectedError ? new Error(`foveated layers failed: ${error.message}`) : error;
      },
    );
    // The index needs only the embedding: "more like this" does not wait for the slowest layer.
    const indexed = embedAndAnnounce(deps, itemId, bytes);
    const [foveated, embedding] = await Promise.all([layers, indexed]);
    const manifest: ItemManifest = { ...viewable, status: 'ready', foveated, embedding };
    await putJson(store, itemKeys.manifest(itemId), manifest);
    return { outcome: 'created', itemId, manifest };
  } catch (error) {
    if (!(error instanceof MediaRejectedError)) throw error;
    return rejectUpload(deps, upload.key, error, info, now());
  }
}

/** Stores the item's embedding, then announces the item to the index with its vector. */
async function embedAndAnnounce(deps: IngestDeps, itemId: string, bytes: Uint8Array): Promise<EmbeddingRef> {
  const embedder = deps.embedder ?? createDefaultEmbedder();
  const vector = await embedder.embed({ bytes });
  const embedding = await storeItemEmbedding(deps.store, itemId, vector, embedder);
  await announceToIndex(deps, itemId, { vector, embedder });
  return embedding;
}

/** Stores the first previews, then the item's 'rendering' manifest that names them. */
async function writeViewableItem(
  deps: IngestDeps,
  itemId: string,
  rendered: RenderedImage,
  mime: SupportedImageMime,
  uploadKey: string,
  upload: { lastModified: Date },
  sourceBytes: number,
): Promise<ItemManifest> {
  const { store } = deps;
  const previews = await storePreviews(store, itemId, rendered.previews);
  const manifest: ItemManifest = {
    schemaVersion: itemManifestSchemaVersion,
    itemId,
    kind: 'image',
    status: 'rendering',
    source: { key: uploadKey, bytes: sourceBytes, mime, uploadedAt: upload.lastModified.toISOString() },
    widthPx: rendered.widthPx,
    heightPx: rendered.heightPx,
    previews,
  };
  await putJson(store, itemKeys.manifest(itemId), manifest);
  return manifest;
}
