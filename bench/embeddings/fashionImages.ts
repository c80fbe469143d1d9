import type { ImageInput } from '../../functions/domain/embed/index.js';
import { normalizeInPlace } from '../../functions/domain/vq/index.js';
import { loadFashionMnist } from '../datasets/fashionMnist.js';
import type { LabelledVectors } from './classPrecision.js';

export interface FashionSplitSubset {
  /** Each 28×28 greyscale image as 3-channel pixels (the grey value in R, G and B). */
  images: ImageInput[];
  labels: Uint8Array;
  /** The floor: the raw 784 pixel values, L2-normalised. */
  rawPixels: LabelledVectors;
}

const side = 28;

/** The first `indexed` train rows and the first `queries` test rows of Fashion-MNIST (Debian dataset-fashion-mnist). */
export function loadFashionSubsets(indexed: number, queries: number): { index: FashionSplitSubset; queries: FashionSplitSubset } {
  const fm = loadFashionMnist({ normalise: false });
  const subset = (split: typeof fm.train, count: number): FashionSplitSubset => {
    const labels = split.labels.slice(0, count);
    const vectors = split.vectors.slice(0, count * fm.dimension);
    const images = Array.from({ length: count }, (_, i): ImageInput => {
      const data = new Uint8Array(side * side * 3);
      for (let p = 0; p < side * side; p += 1) data.fill(vectors[i * fm.dimension + p]!, p * 3, p * 3 + 3);
      return { pixels: { data, widthPx: side, heightPx: side, channels: 3 } };
    });
    for (let i = 0; i < count; i += 1) normalizeInPlace(vectors, i * fm.dimension, fm.dimension);
    return { images, labels, rawPixels: { dimension: fm.dimension, vectors, labels } };
  };
  return { index: subset(fm.train, indexed), queries: subset(fm.test, queries) };
}
