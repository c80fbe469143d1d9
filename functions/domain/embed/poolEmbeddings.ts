import { EmbedError } from './errors.js';

/**
 * One vector for several (e.g. a video's keyframes): the mean of the
 * L2-normalised inputs, re-normalised. Every input counts equally, whatever its norm.
 */
export function poolEmbeddings(vectors: readonly Float32Array[]): Float32Array {
  const first = vectors[0];
  if (!first) throw new EmbedError('cannot pool zero embeddings');
  const dimension = first.length;
  const sum = new Float64Array(dimension);
  for (const vector of vectors) {
    if (vector.length !== dimension) throw new EmbedError(`cannot pool embeddings of ${dimension} and ${vector.length} dimensions`);
    let norm = 0;
    for (const v of vector) norm += v * v;
    if (!(norm > 0)) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dimension; d += 1) sum[d]! += vector[d]! * inv;
  }
  let norm = 0;
  for (const v of sum) norm += v * v;
  if (!(norm > 0)) throw new EmbedError('the pooled embedding is zero (inputs cancel or are all zero)');
  const inv = 1 / Math.sqrt(norm);
  return Float32Array.from(sum, (v) => v * inv);
}
