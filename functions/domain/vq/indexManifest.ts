import {
  indexManifestSchemaVersion,
  legacyManifestSchemaVersion,
  packsManifestSchemaVersion,
  pagesManifestSchemaVersion,
} from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import type { LegacyManifest } from './legacySegments.js';
import type { EmbedderRef, VqIndexConfig } from './types.js';

/** A page of the codebook as the manifest names it. */
export interface PageRef {
  key: string;
  /** Byte offset of the page in its object (a commit's pack); absent: the object is the page (schema 2). */
  offset?: number;
  firstList: number;
  lists: number;
  /** Items in the page's lists. */
  items: number;
  bytes: number;
  /** Bytes of the list objects the page names. */
  listBytes: number;
}

/** A commit's pack: one object packing the lists, deltas and pages it wrote. */
interface PackRef {
  key: string;
  bytes: number;
}

/**
 * index/<shard>/manifest.json: names the live codebook pages (which name the
 * lists) and the packs that hold them; replaced only by conditional
 * writes. Two levels, so a commit rewrites the pages of the lists it touched
 * and this small root, never a table of every list. Schema 2 (each page and
 * list an object of its own) is read as it is; its writer's next commits move
 * it into packs.
 */
export interface IndexManifest {
  schemaVersion: typeof indexManifestSchemaVersion | typeof packsManifestSchemaVersion | typeof pagesManifestSchemaVersion;
  shard: string;
  /** +1 per commit. */
  generation: number;
  dimension: number;
  embedder?: EmbedderRef;
  config: VqIndexConfig;
  prngState: number;
  nextSeq: number;
  /** Repair credit carried to the next update. */
  repairCredit: number;
  /** Centroids (lists), including empty ones. */
  clusters: number;
  listsPerPage: number;
  pages: PageRef[];
  /** Every pack a page or list lives in (absent in schema 2). */
  packs?: PackRef[];
  liveItems: number;
  imbalanceFactor: number;
  maxClusterOverMean: number;
}

/** A stored manifest of either layout: schema 1 (segments) is read only to migrate it. */
export function parseStoredManifest(key: string, bytes: Uint8Array): IndexManifest | LegacyManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CorruptIndexDataError(key, `not JSON: ${(error as Error).message}`);
  }
  const manifest = value as Partial<IndexManifest> | Partial<LegacyManifest>;
  if (manifest.schemaVersion === legacyManifestSchemaVersion) {
    const legacy = manifest;
    if (!legacy.codebook?.key || !Array.isArray(legacy.segments) || typeof legacy.generation !== 'number' || !legacy.config)
      throw new CorruptIndexDataError(key, 'missing codebook, segments, generation or config');
    return legacy as LegacyManifest;
  }
  const readable: unknown[] = [pagesManifestSchemaVersion, packsManifestSchemaVersion, indexManifestSchemaVersion];
  if (!readable.includes(manifest.schemaVersion)) {
    throw new CorruptIndexDataError(key, `schema version ${String(manifest.schemaVersion)}, expected one of ${readable.join(', ')}`);
  }
  const current = manifest as Partial<IndexManifest>;
  if (!Array.isArray(current.pages) || typeof current.generation !== 'number' || !current.config || typeof current.clusters !== 'number')
    throw new CorruptIndexDataError(key, 'missing pages, clusters, generation or config');
  return current as IndexManifest;
}

export const isLegacyManifest = (manifest: IndexManifest | LegacyManifest): manifest is LegacyManifest =>
  manifest.schemaVersion === legacyManifestSchemaVersion;

export function serializeIndexManifest(manifest: IndexManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);
}
