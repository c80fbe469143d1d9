import type { EmbedderInfo } from './types.js';

/**
 * A key-safe name for one embedder version, e.g. `xr-default-image-2-64`:
 * its vectors are stored under it (items/<id>/embeddings/<key>.f32) and its
 * index lives under index/<key>/, so two models' vectors never meet.
 */
export function embedderKey(embedder: Pick<EmbedderInfo, 'name' | 'version'>): string {
  const key = `${embedder.name}-${embedder.version}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(key)) return `e-${key}`;
  return key;
}

/** The same model, version and dimension. */
export function sameEmbedder(a: EmbedderInfo, b: EmbedderInfo): boolean {
  return a.name === b.name && a.version === b.version && a.dimension === b.dimension;
}
