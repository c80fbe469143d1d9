import { normalizeInPlace } from './dotProducts.js';

/** Components are summed as integers at this scale, so a sum is exact and independent of the order items came in. */
const fixedPointScale = 2 ** 24;

/**
 * The sum of each cluster's member vectors, kept exactly (fixed point in
 * float64, exact below 2^53), so a centroid is the true mean of its members
 * whatever order they arrived, moved or were reloaded in: a writer that
 * reloads from storage computes the very same centroids.
 */
export class ClusterSums {
  private sums: Float64Array;

  constructor(
    readonly dimension: number,
    initialClusters = 16,
  ) {
    this.sums = new Float64Array(initialClusters * dimension);
  }

  add(cluster: number, vector: Float32Array, offset = 0): void {
    this.accumulate(cluster, vector, offset, 1);
  }

  remove(cluster: number, vector: Float32Array, offset = 0): void {
    this.accumulate(cluster, vector, offset, -1);
  }

  /** Moves a member's vector from one cluster's sum to another's (the same as remove then add). */
  move(from: number, to: number, vector: Float32Array, offset = 0): void {
    const { dimension } = this;
    this.ensure(Math.max(from, to));
    const fromBase = from * dimension;
    const toBase = to * dimension;
    for (let d = 0; d < dimension; d += 1) {
      const value = Math.round(vector[offset + d]! * fixedPointScale);
      this.sums[fromBase + d]! -= value;
      this.sums[toBase + d]! += value;
    }
  }

  /** Writes the unit mean direction of a cluster to out[outOffset..]; false (nothing written) for a zero sum. */
  centroidInto(cluster: number, out: Float32Array, outOffset: number): boolean {
    const { dimension } = this;
    const base = cluster * dimension;
    if (base + dimension > this.sums.length) return false;
    let any = false;
    for (let d = 0; d < dimension; d += 1) {
      out[outOffset + d] = this.sums[base + d]!;
      any ||= this.sums[base + d] !== 0;
    }
    if (any) normalizeInPlace(out, outOffset, dimension);
    return any;
  }

  /** The mean cosine of a cluster's members to its centroid: ‖Σ members‖ / n for unit members. */
  meanCosine(cluster: number, members: number): number {
    const { dimension } = this;
    const base = cluster * dimension;
    if (members === 0 || base + dimension > this.sums.length) return 1;
    let squares = 0;
    for (let d = 0; d < dimension; d += 1) squares += this.sums[base + d]! ** 2;
    return Math.sqrt(squares) / (fixedPointScale * members);
  }

  /** A copy of a cluster's sum (fixed point), as stored with its list. */
  sumOf(cluster: number): Float64Array {
    this.ensure(cluster);
    return this.sums.slice(cluster * this.dimension, (cluster + 1) * this.dimension);
  }

  /** Sets a cluster's sum from a stored one (fixed point, as sumOf gave it). */
  setSum(cluster: number, sum: Float64Array): void {
    this.ensure(cluster);
    this.sums.set(sum.subarray(0, this.dimension), cluster * this.dimension);
  }

  memoryBytes(): number {
    return this.sums.byteLength;
  }

  private ensure(cluster: number): void {
    const end = (cluster + 1) * this.dimension;
    if (end <= this.sums.length) return;
    const grown = new Float64Array(Math.max(end, this.sums.length * 2));
    grown.set(this.sums);
    this.sums = grown;
  }

  private accumulate(cluster: number, vector: Float32Array, offset: number, sign: 1 | -1): void {
    const { dimension } = this;
    const base = cluster * dimension;
    this.ensure(cluster);
    for (let d = 0; d < dimension; d += 1) this.sums[base + d]! += sign * Math.round(vector[offset + d]! * fixedPointScale);
  }
}
