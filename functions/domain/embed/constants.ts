/** Name and version of the built-in embedder; bump the version on any change to its output. */
export const defaultEmbedderName = 'xr-default-image';
export const defaultEmbedderVersion = '1';

/**
 * Block layout of the default embedding (256 floats). Each block is
 * L2-normalised, multiplied by its weight, then the whole vector is normalised.
 */
export const defaultEmbeddingBlocks = {
  /** 8×8 low-frequency DCT of the contrast-normalised lightness, without DC (63), + log aspect ratio (1). */
  layout: { dims: 64, weight: 1.0 },
  /** Mean a*, b* (CIELAB) in a 4×4 grid. */
  colourLayout: { dims: 32, weight: 0.8 },
  /** a*b* histogram 5×5 (soft bins, Hellinger) and a 7-bin histogram of contrast-normalised lightness. */
  colourHistogram: { dims: 32, weight: 0.9 },
  /** Gradient orientation: 8 unsigned-orientation bins in a 4×4 grid, magnitude-weighted (HOG-like). */
  gradients: { dims: 128, weight: 0.9 },
} as const;
