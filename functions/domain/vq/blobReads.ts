import { VqError } from './errors.js';
import type { PageRef } from './indexManifest.js';
import type { IndexStorage } from './indexStorage.js';
import { blobRange, decodePage, type BlobRef, type CodebookPage } from './listCodec.js';

/** A page or list named by the manifest is gone (a newer commit replaced it): read the new manifest. */
export class StaleManifestError extends VqError {
  constructor(key: string) {
    super(`${key} is gone`);
    this.name = 'StaleManifestError';
  }
}

/** Bytes [start, end) of a blob (relative to the blob), wherever it is packed. */
export async function readBlobRange(storage: IndexStorage, ref: BlobRef, start: number, end: number): Promise<Uint8Array> {
  const bytes = await storage.getRange(ref.key, ...blobRange(ref, start, end));
  if (!bytes) throw new StaleManifestError(ref.key);
  return bytes;
}

export const readBlob = (storage: IndexStorage, ref: BlobRef) => readBlobRange(storage, ref, 0, ref.bytes);

/** What a query scans of a list blob: codes, ids and masked ids, not the vectors. */
export const readBlobScanPart = (storage: IndexStorage, ref: BlobRef) => readBlobRange(storage, ref, 0, ref.scanBytes);

export async function readPage(storage: IndexStorage, ref: PageRef): Promise<CodebookPage> {
  const bytes = await readBlob(storage, { ...ref, count: ref.lists, scanBytes: ref.bytes });
  return decodePage(ref.key, bytes);
}
