import { indexManifestSchemaVersion } from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import type { VqIndexConfig } from './types.js';

export interface SegmentRef {
  key: string;
  kind: 'base' | 'delta';
  puts: number;
  deletes: number;
  bytes: number;
}

/** The embedder whose vectors the index holds; a query must use the same one. */
export interface EmbedderRef {
  name: string;
  version: string;
  dimension: number;
}

/** index/<shard>/manifest.json: names the live codebook and segments; replaced only by conditional writes. */
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
  /** Repair credit carried to the next update (absent in manifests written before repair was paid per insert: 0). */
  repairCredit?: number;
  codebook: { key: string; clusters: number; bytes: number };
  /** Applied in order: base segments first, then deltas (deletes, then puts). */
  segments: SegmentRef[];
  liveItems: number;
  /** Records in segments that no longer describe a live item (tombstones and superseded puts). */
  staleRecords: number;
  imbalanceFactor: number;
  maxClusterOverMean: number;
}

export function parseIndexManifest(key: string, bytes: Uint8Array): IndexManifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CorruptIndexDataError(key, `not JSON: ${(error as Error).message}`);
  }
  const manifest = value as Partial<IndexManifest>;
  if (manifest.schemaVersion !== indexManifestSchemaVersion) {
    throw new CorruptIndexDataError(key, `schema version ${String(manifest.schemaVersion)}, expected ${indexManifestSchemaVersion}`);
  }
  if (!manifest.codebook?.key || !Array.isArray(manifest.segments) || typeof manifest.generation !== 'number' || !manifest.config) {
    throw new CorruptIndexDataError(key, 'missing codebook, segments, generation or config');
  }
  return manifest as IndexManifest;
}

export function serializeIndexManifest(manifest: IndexManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}
