import { pipelineConfig } from '../../config/index.js';
import type { VqIndexConfig } from './types.js';

/** Index defaults; a caller supplies at least the dimension. */
export const defaultIndexConfig: Omit<VqIndexConfig, 'dimension'> = { ...pipelineConfig.vq.index };

/** Version of index/<shard>/manifest.json; bump on any incompatible change. */
export const indexManifestSchemaVersion = 1;

/** First bytes of every binary index object, then a uint32 format version. */
export const segmentMagic = 'VQSG';
export const codebookMagic = 'VQCB';
export const binaryFormatVersion = 1;
