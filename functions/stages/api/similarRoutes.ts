import { decodeEmbedding, embedderKey, sameEmbedder } from '../../domain/embed/index.js';
import { getJson, itemKeys, type ItemManifest, type ObjectStore } from '../../domain/items/index.js';
import { MediaRejectedError, probeImage, sniffMediaType, supportedImageMimes, TooManyPixelsError } from '../../domain/media/index.js';
import type { SearchHit } from '../../domain/vq/index.js';
import { ApiRequestError } from './errors.js';
import type { SimilarItem, SimilarityDeps } from './types.js';

/** GET /api/items/<id>/similar?k=: the item's nearest neighbours, itself excluded. */
export async function similarToItem(
  store: ObjectStore,
  similarity: SimilarityDeps,
  itemId: string,
  rawK: string | undefined,
): Promise<{ itemId: string; similar: SimilarItem[] }> {
  const k = parseK(rawK, similarity.limits);
  const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemId));
  if (!manifest) throw new ApiRequestError(404, `no item ${itemId}`);
  const { generation, index } = await similarity.active.current();
  // The vector the answering index holds: the one ingest recorded, or the one a backfill made for this index.
  const key =
    manifest.embedding && sameEmbedder(manifest.embedding, generation.embedder)
      ? manifest.embedding.key
      : itemKeys.embedding(itemId, embedderKey(generation.embedder));
  const bytes = manifest.embedding ? await store.getBytes(key) : undefined;
  if (!manifest.embedding)
    throw new ApiRequestError(409, `item ${itemId} has no embedding yet (status ${manifest.status}); ask again when it is ready`);
  if (!bytes)
    throw new ApiRequestError(
      409,
      `item ${itemId} has no ${generation.embedder.name} ${generation.embedder.version} embedding yet; the backfill has not reached it`,
    );
  const hits = await index.search(decodeEmbedding(bytes), k + 1);
  return { itemId, similar: await describeHits(store, hits.filter((hit) => hit.id !== itemId).slice(0, k)) };
}

/** What a client may declare a search image as; the bytes are sniffed whatever it says. */
const searchableContentType = /^(image\/[\w.+-]+|application\/octet-stream)\s*(;.*)?$/i;

/** POST /api/search with image bytes: the items that look most like it. */
export async function searchByImage(
  store: ObjectStore,
  similarity: SimilarityDeps,
  { body, contentType }: { body: Uint8Array | undefined; contentType: string | undefined },
  rawK: string | undefined,
): Promise<{ similar: SimilarItem[] }> {
  const k = parseK(rawK, similarity.limits);
  const { maxImageBytes, maxImagePixels } = similarity.limits;
  if (contentType && !searchableContentType.test(contentType)) {
    throw new ApiRequestError(
      415,
      `Content-Type ${JSON.stringify(contentType)} is not an image; send the image bytes as image/* or application/octet-stream`,
    );
  }
  if (!body || body.byteLength === 0) throw new ApiRequestError(400, 'send the image bytes as the request body');
  if (body.byteLength > maxImageBytes)
    throw new ApiRequestError(413, `the image is ${body.byteLength} bytes; the limit is ${maxImageBytes}`);
  const sniffed = await sniffMediaType(body.subarray(0, 4100)).catch(() => undefined);
  if (sniffed?.kind !== 'image')
    throw new ApiRequestError(415, `the body is not an image of a supported type (${supportedImageMimes.join(', ')})`);
  // From the header, before a pixel is decoded: a small file can hold a bomb of pixels, as at ingest.
  await probeImage(body, sniffed.mime, maxImagePixels).catch((error: unknown) => {
    if (error instanceof TooManyPixelsError) throw new ApiRequestError(413, error.message);
    if (error instanceof MediaRejectedError) throw new ApiRequestError(400, `the image could not be decoded: ${error.message}`);
    throw error;
  });
  const { generation, index, queryEmbedder } = await similarity.active.current();
  if (!queryEmbedder)
    throw new ApiRequestError(
      503,
      `search by image is unavailable while the library moves to a new embedder (the index answering is ${generation.embedder.name} ${generation.embedder.version}); "more like this" still works`,
    );
  const vector = await queryEmbedder.embed({ bytes: body }).catch((error: unknown) => {
    throw new ApiRequestError(400, `the image could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  });
  return { similar: await describeHits(store, await index.search(vector, k)) };
}

function parseK(raw: string | undefined, limits: SimilarityDeps['limits']): number {
  if (raw === undefined || raw === '') return limits.kDefault;
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1 || k > limits.kMax)
    throw new ApiRequestError(400, `k must be a whole number from 1 to ${limits.kMax}, got ${JSON.stringify(raw)}`);
  return k;
}

/** Hits whose item has gone since the index last saw it are left out. */
async function describeHits(store: ObjectStore, hits: SearchHit[]): Promise<SimilarItem[]> {
  const manifests = await Promise.all(hits.map((hit) => getJson<ItemManifest>(store, itemKeys.manifest(hit.id))));
  return hits.flatMap((hit, index) => {
    const manifest = manifests[index];
    if (!manifest) return [];
    const thumb = manifest.previews.find((preview) => preview.role === 'thumb');
    return [
      {
        itemId: hit.id,
        score: Math.round(hit.score * 1e4) / 1e4,
        kind: manifest.kind,
        widthPx: manifest.widthPx,
        heightPx: manifest.heightPx,
        thumbKey: thumb?.key,
      },
    ];
  });
}
