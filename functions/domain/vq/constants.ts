import { pipelineConfig } from '../../config/index.js';
import type { VqIndexConfig } from './types.js';

/** Index defaults; a caller supplies at least the dimension. */
export const defaultIndexConfig: Omit<VqIndexConfig, 'dimension'> = { ...pipelineConfig.vq.index };

/** Version of index/<shard>/manifest.json; bump on any incompatible change. 1: segments (migrated on load, legacySegments.ts); 2: pages and lists. */
export const indexManifestSchemaVersion = 2;
export const legacyManifestSchemaVersion = 1;

/** First bytes of every binary index object, then a uint32 format version. */
export const listMagic = 'VQLS';
export const pageMagic = 'VQPG';
export const listFormatVersion = 1;
