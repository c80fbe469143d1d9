import { decodeForEmbedding, type ImageInput } from '../../functions/domain/embed/index.js';
import type { Candidate } from './candidates.js';

export interface EmbeddedSet {
  count: number;
  dimension: number;
  /** count × dimension, row-major, each row L2-normalised. */
  vectors: Float32Array;
  /** Milliseconds of describe alone (after decode), one per image. */
  describeMs: number[];
}

/** Decodes run this many ahead of the describe that is being timed. */
const decodeAhead = 4;

/** Every input embedded by the candidate, in order; only the descriptor is timed. */
export async function embedSet(candidate: Candidate, inputs: readonly ImageInput[]): Promise<EmbeddedSet> {
  const decode = (i: number) => decodeForEmbedding(inputs[i]!, candidate.inputPx, candidate.inputPx, candidate.fit);
  const pending: (ReturnType<typeof decode> | undefined)[] = inputs.slice(0, decodeAhead).map((_, i) => decode(i));
  let vectors = new Float32Array(0);
  let dimension = 0;
  const describeMs: number[] = [];
  for (let i = 0; i < inputs.length; i += 1) {
    const decoded = await pending[i]!;
    if (i + decodeAhead < inputs.length) pending.push(decode(i + decodeAhead));
    pending[i] = undefined;
    const start = performance.now();
    const vector = await candidate.describe(decoded);
    describeMs.push(performance.now() - start);
    if (i === 0) {
      dimension = vector.length;
      vectors = new Float32Array(inputs.length * dimension);
    }
    vectors.set(vector, i * dimension);
  }
  return { count: inputs.length, dimension, vectors, describeMs };
}

/** The median of some timings. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}
