import { dot, normalizeInPlace } from './dotProducts.js';
import type { BlockScorer, BlockScorers } from './blockScorer.js';
import type { Prng } from './prng.js';
import { kernelDimensionMultiple } from './scoreKernel.js';

/** Neither half of a split keeps less than this share of the rows, so a split always relieves its cluster. */
const minShare = 0.25;
/** Enough to find the long axis; 2-means then settles the cut. */
const powerIterations = 3;

/**
 * Splits rows 0..count-1 (unit vectors, row-major) in two: seeds on either
 * side of the mean along the rows' principal direction (power iteration on
 * the centred rows: the direction a cluster is longest in is where it should
 * be cut), then 2-means refined `iterations` times; neither half below a
 * quarter. Returns 1 for the rows that go to the new cluster. Every pass over
 * the rows is a SIMD product: rows · v on the rows, Σ wᵢ rowᵢ on their transpose.
 */
export function splitInTwo(
  rows: Float32Array,
  count: number,
  dimension: number,
  prng: Prng,
  iterations: number,
  scorers: BlockScorers,
): Uint8Array {
  const scorer = scorers.forRowLength(dimension);
  const columns = new ColumnSums(rows, count, dimension, scorers);
  const weights = new Float32Array(columns.paddedCount);
  const mean = new Float32Array(dimension);
  columns.weightedSum(weights.fill(1 / count, 0, count), mean);

  scorer.load(rows, count);
  const direction = Float32Array.from({ length: dimension }, () => prng.nextGaussian());
  normalizeInPlace(direction);
  const projections = new Float32Array(count);
  const next = new Float32Array(dimension);
  for (let iteration = 0; iteration < powerIterations; iteration += 1) {
    // Σ p (x − mean) with p = (x − mean) · direction, i.e. Σ p x − (Σ p) mean.
    scorer.score(direction, projections);
    const meanProjection = dot(mean, 0, direction, 0, dimension);
    let projectionSum = 0;
    for (let i = 0; i < count; i += 1) projectionSum += weights[i] = projections[i]! - meanProjection;
    columns.weightedSum(weights, next);
    for (let d = 0; d < dimension; d += 1) next[d]! -= projectionSum * mean[d]!;
    if (normalizeInPlace(next) === 0) break;
    direction.set(next);
  }
  scorer.score(direction, projections);
  const meanProjection = dot(mean, 0, direction, 0, dimension);
  let spread = 0;
  for (let i = 0; i < count; i += 1) spread += (projections[i]! - meanProjection) ** 2;
  spread = Math.sqrt(spread / count);
  const a = Float32Array.from(mean, (m, d) => m + spread * direction[d]!);
  const b = Float32Array.from(mean, (m, d) => m - spread * direction[d]!);
  normalizeInPlace(a);
  normalizeInPlace(b);

  const inB = new Uint8Array(count);
  const scoresA = new Float32Array(count);
  const scoresB = new Float32Array(count);
  const margins = new Float64Array(count);
  for (let iteration = 0; iteration <= iterations; iteration += 1) {
    scorer.score(a, scoresA);
    scorer.score(b, scoresB);
    for (let i = 0; i < count; i += 1) margins[i] = scoresA[i]! - scoresB[i]!;
    const threshold = balancedThreshold(margins);
    let inBCount = 0;
    for (let i = 0; i < count; i += 1) inBCount += inB[i] = margins[i]! < threshold ? 1 : 0;
    // Rows all alike (duplicates): no direction separates them, so halve by position.
    if (inBCount === 0 || inBCount === count) for (let i = 0; i < count; i += 1) inB[i] = i & 1;
    if (iteration === iterations) break;
    for (let i = 0; i < count; i += 1) weights[i] = inB[i] ? 0 : 1;
    columns.weightedSum(weights, a);
    for (let i = 0; i < count; i += 1) weights[i] = inB[i] ? 1 : 0;
    columns.weightedSum(weights, b);
    normalizeInPlace(a);
    normalizeInPlace(b);
  }
  return inB;
}

/** The rows transposed (one row per dimension, padded with zeros to the kernel's multiple), so Σ wᵢ rowᵢ is one SIMD product. */
class ColumnSums {
  readonly paddedCount: number;
  private readonly scorer: BlockScorer;

  constructor(rows: Float32Array, count: number, dimension: number, scorers: BlockScorers) {
    this.paddedCount = Math.ceil(count / kernelDimensionMultiple) * kernelDimensionMultiple;
    const stride = this.paddedCount;
    const transposed = new Float32Array(dimension * stride);
    for (let d = 0; d < dimension; d += 1) {
      const base = d * stride;
      for (let i = 0, source = d; i < count; i += 1, source += dimension) transposed[base + i] = rows[source]!;
    }
    this.scorer = scorers.forRowLength(this.paddedCount);
    this.scorer.load(transposed, dimension);
  }

  /** out[d] = Σᵢ weights[i] · rows[i][d]; weights beyond the rows must be zero. */
  weightedSum(weights: Float32Array, out: Float32Array): void {
    this.scorer.score(weights, out);
  }
}

/** 0 (the nearer seed wins) unless that leaves a half below minShare; then the margin at that share. */
function balancedThreshold(margins: Float64Array): number {
  const count = margins.length;
  const least = Math.max(1, Math.floor(minShare * count));
  let negative = 0;
  for (const margin of margins) if (margin < 0) negative += 1;
  if (negative >= least && count - negative >= least) return 0;
  const sorted = Float64Array.from(margins).sort();
  // Rows strictly below the threshold go to B: about `least` of them when B is short, all but `least` when A is.
  return sorted[negative < least ? least : count - least]!;
}
