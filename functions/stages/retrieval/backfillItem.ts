import { embedderKey, poolEmbeddings, type Embedder, type RawPixels } from '../../domain/embed/index.js';
import { itemKeys, type ItemManifest, type ObjectStore } from '../../domain/items/index.js';
import { announceToIndex, storeItemEmbedding, type IndexUpdateQueue } from '../ingest/index.js';

export interface BackfillDeps {
  store: ObjectStore;
  /** The embedder the pipeline is configured with: the index being filled is its own. */
  embedder: Embedder;
  indexUpdates: IndexUpdateQueue;
  /** A video's frames at these times, decoded again from its upload (the keyframes its item recorded). */
  videoFrames(uploadKey: string, mime: string, seconds: readonly number[]): Promise<RawPixels[] | undefined>;
}

/** 'embedded': a vector made now; 'present': one was there (a resumed run, or ingested after the change); the rest are left alone. */
export type BackfillOutcome = 'embedded' | 'present' | 'not-ready' | 'source-gone';

/**
 * Gives one item a vector from the configured embedder and announces it to
 * that embedder's index. Idempotent, so a killed backfill resumes by running
 * again: an item that has its vector is only announced again (the indexer
 * makes repeats a no-op). Images are embedded from their upload's bytes, as
 * ingest does, so a search by the same file finds the item; videos from the
 * keyframes their item recorded, pooled as the video stage pools them.
 */
export async function backfillItem(deps: BackfillDeps, manifest: ItemManifest): Promise<BackfillOutcome> {
  // An item still rendering is being ingested, and ingest embeds with the configured embedder.
  if (manifest.status !== 'ready') return 'not-ready';
  const key = itemKeys.embedding(manifest.itemId, embedderKey(deps.embedder));
  if ((await deps.store.head(key)) !== undefined) {
    await announceToIndex(deps, manifest.itemId);
    return 'present';
  }
  const vector = await embedItem(deps, manifest);
  if (!vector) return 'source-gone';
  await storeItemEmbedding(deps.store, manifest.itemId, vector, deps.embedder);
  await announceToIndex(deps, manifest.itemId, { vector, embedder: deps.embedder });
  return 'embedded';
}

async function embedItem(deps: BackfillDeps, manifest: ItemManifest): Promise<Float32Array | undefined> {
  for (const uploadKey of await uploadKeysOf(deps.store, manifest)) {
    if (manifest.kind === 'video') {
      const seconds = manifest.video?.shots.flatMap((shot) => shot.keyframeSeconds) ?? [];
      const frames = seconds.length > 0 ? await deps.videoFrames(uploadKey, manifest.source.mime, seconds) : undefined;
      if (frames) return poolEmbeddings(await Promise.all(frames.map((pixels) => deps.embedder.embed({ pixels }))));
    } else {
      const bytes = await deps.store.getBytes(uploadKey);
      if (bytes) return deps.embedder.embed({ bytes });
    }
  }
  return undefined;
}

/** The upload the manifest names first, then any other upload that produced the same item (its source markers). */
async function uploadKeysOf(store: ObjectStore, manifest: ItemManifest): Promise<string[]> {
  const keys = [manifest.source.key];
  for await (const marker of store.listKeys(itemKeys.sourcesFolder(manifest.itemId))) {
    const bytes = await store.getBytes(marker);
    const uploadKey = bytes && Buffer.from(bytes).toString('utf8');
    if (uploadKey && !keys.includes(uploadKey)) keys.push(uploadKey);
  }
  return keys;
}
