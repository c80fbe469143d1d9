import { indexManifestSchemaVersion, legacyManifestSchemaVersion } from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import type { LegacyManifest } from './legacySegments.js';
import type { EmbedderRef, VqIndexConfig } from './types.js';

/** A page of the codebook as the manifest names it. */
export interface PageRef {
  key: string;
  firstList: number;
  lists: number;
  /** Items in the page's lists. */
  items: number;
  bytes: number;
  /** Bytes of the list objects the page names. */
  listBytes: number;
}

/**
 * index/<shard>/manifest.json: names the live codebook pages (which name the
 * lists); replaced only by conditional writes. Two levels, so a commit
 * rewrites the pages of the lists it touched and this small root, never a
 * table of every list.
 */
export interface IndexManifest {
  schemaVersion: typeof indexManifestSchemaVersion;
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
  if (manifest.schemaVersion !== indexManifestSchemaVersion) {
    throw new CorruptIndexDataError(key, `schema version ${String(manifest.schemaVersion)}, expected ${indexManifestSchemaVersion}`);
  }
  const current = manifest;
  if (!Array.isArray(current.pages) || typeof current.generation !== 'number' || !current.config || typeof current.clusters !== 'number')
    throw new CorruptIndexDataError(key, 'missing pages, clusters, generation or config');
  return current as IndexManifest;
}

export function serializeIndexManifest(manifest: IndexManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);
}
