/** Name of the built-in embedder; its version is `<design>-<sizePx>`. */
export const defaultEmbedderName = 'xr-default-image';

/**
 * Float counts of the default embedding's blocks (256 floats). Each block is
 * L2-normalised and multiplied by its design's weight, then the whole vector is normalised.
 */
export const defaultEmbeddingBlocks = {
  /** 8×8 low-frequency DCT of the contrast-normalised lightness, without DC (63), + log aspect ratio (1). */
  layout: { dims: 64 },
  /** Mean a*, b* (CIELAB) in a 4×4 grid. */
  colourLayout: { dims: 32 },
  /** a*b* histogram 5×5 (soft bins, Hellinger) and a 7-bin histogram of contrast-normalised lightness. */
  colourHistogram: { dims: 32 },
  /** Gradient orientation: 8 unsigned-orientation bins in a 4×4 grid, magnitude-weighted (HOG-like). */
  gradients: { dims: 128 },
} as const;

type BlockName = keyof typeof defaultEmbeddingBlocks;

export interface DefaultEmbeddingDesign {
  weights: Record<BlockName, number>;
  /** How sharply the vector settles on one of the two mirror orientations (mirrorOrientation.ts); absent: not mirror-invariant. */
  mirrorSharpness?: number;
}

/**
 * Every version of the default embedder ever stored. A new recipe is a new
 * entry (never an edit: stored vectors name their version). Older entries stay
 * so that an index built by them still answers image searches until a
 * backfill has moved the library to the current one (docs/embeddings.md).
 */
export const defaultEmbeddingDesigns = {
  '1': { weights: { layout: 1.0, colourLayout: 0.8, colourHistogram: 0.9, gradients: 0.9 } },
  /**
   * Mirror-invariant; gradients weigh most, because edge directions in a coarse
   * grid move least under crops, small rotations and greyscale (weights chosen
   * on opencv-doc's images, scored by bench:embeddings on other photos).
   */
  '2': { weights: { layout: 0.5, colourLayout: 0.6, colourHistogram: 0.7, gradients: 3.0 }, mirrorSharpness: 20 },
} as const satisfies Record<string, DefaultEmbeddingDesign>;

export type DefaultEmbeddingDesignVersion = keyof typeof defaultEmbeddingDesigns;

/** What new items are embedded with. */
export const currentDefaultEmbeddingDesign: DefaultEmbeddingDesignVersion = '2';
