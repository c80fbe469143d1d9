import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipelineConfig } from '../../config/index.js';

const { prefixes } = pipelineConfig;
const manifestSuffix = '/manifest.json';

/** Item ids are the first 128 bits of the content's SHA-256: same bytes, same item. */
export function itemIdForContent(bytes: Uint8Array): string {
  return itemIdFromHash(createHash('sha256').update(bytes));
}

/** The same id for a file too large to hold in memory (a video), hashed as it streams. */
export async function itemIdForFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return itemIdFromHash(hash);
}

function itemIdFromHash(hash: Hash): string {
  return hash.digest('hex').slice(0, 32);
}

/** A stable, key-safe name for an upload key (errors/ and sources/ records). */
function keyHash(uploadKey: string): string {
  return createHash('sha256').update(uploadKey, 'utf8').digest('hex').slice(0, 32);
}

export const itemKeys = {
  folder: (itemId: string) => `${prefixes.items}${itemId}/`,
  manifest: (itemId: string) => `${prefixes.items}${itemId}${manifestSuffix}`,
  preview: (itemId: string, name: string) => `${prefixes.items}${itemId}/preview/${name}`,
  /** The item's content embedding by one embedder (functions/domain/embed embedderKey): little-endian float32, L2-normalised. */
  embedding: (itemId: string, embedderKey: string) => `${prefixes.items}${itemId}/embeddings/${embedderKey}.f32`,
  /** One marker per upload key that produced this item; the item is deleted with its last source. */
  sourceMarker: (itemId: string, uploadKey: string) => `${prefixes.items}${itemId}/sources/${keyHash(uploadKey)}`,
  sourcesFolder: (itemId: string) => `${prefixes.items}${itemId}/sources/`,
  /** upload key -> item id, so an ObjectRemoved event (which carries no bytes) can find its item. */
  sourceRecord: (uploadKey: string) => `${prefixes.sources}${keyHash(uploadKey)}.json`,
  errorRecord: (uploadKey: string) => `${prefixes.errors}${keyHash(uploadKey)}.json`,
  /** Matches items/<itemId>/manifest.json and returns the id. */
  itemIdFromManifestKey(key: string): string | undefined {
    if (!key.startsWith(prefixes.items) || !key.endsWith(manifestSuffix)) return undefined;
    const itemId = key.slice(prefixes.items.length, -manifestSuffix.length);
    return /^[0-9a-f]{32}$/.test(itemId) ? itemId : undefined;
  },
} as const;

export function isUploadKey(key: string): boolean {
  return key.startsWith(prefixes.uploads) && key.length > prefixes.uploads.length && !key.endsWith('/');
}
