import { pipelineConfig } from '../../config/index.js';
import type { VqIndexConfig } from './types.js';

/** Index defaults; a caller supplies at least the dimension. */
export const defaultIndexConfig: Omit<VqIndexConfig, 'dimension'> = { ...pipelineConfig.vq.index };

/**
 * Version of index/<shard>/manifest.json; bump on any incompatible change. 1: whole-shard segments (migrated on
 * load, legacySegments.ts); 2: pages and lists, an object each (read as is); 3: pages, lists and a delta per list
 * packed in per-commit packs (read as is); 4: a chain of deltas per list, and each blob carries its list's member sum,
 * so a writer opens a shard from ids and sums without its vectors. A writer moves a shard of 2 or 3 to 4 whole.
 */
export const indexManifestSchemaVersion = 4;
export const packsManifestSchemaVersion = 3;
export const pagesManifestSchemaVersion = 2;
export const legacyManifestSchemaVersion = 1;

/** First bytes of every binary index object, then a uint32 format version. */
export const listMagic = 'VQLS';
export const pageMagic = 'VQPG';
export const listFormatVersion = 2;
export const pageFormatVersion = 1;
