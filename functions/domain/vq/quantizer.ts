import { dot, normalizeInPlace, scoreRows } from './dotProducts.js';
import { InvalidVqParameterError } from './errors.js';
import { createPrng, type Prng } from './prng.js';
import { RowMirror } from './rowMirror.js';
import { TopK } from './topK.js';

/**
 * The level-1 quantizer: K unit-norm centroids in one row-major Float32Array
 * that grows by doubling, scored by inner product.
 */
/** Centroids are copied to wasm memory in blocks of this many, so a changed centroid costs one block's copy. */
const blockRows = 16;

export class Codebook {
  /** Whoever writes these directly calls changed() afterwards (scoreAll scores a copy). */
  centroids: Float32Array;
  k = 0;
  /** Per block of blockRows centroids: bumped when one of them changes, so only that block is copied again. */
  private readonly blockVersions: number[] = [];
  private readonly mirror: RowMirror;

  constructor(
    readonly dimension: number,
    initialCapacity = 16,
  ) {
    this.centroids = new Float32Array(Math.max(1, initialCapacity) * dimension);
    this.mirror = RowMirror.forFloatRows(dimension);
  }

  /** Bytes held: the centroids and their SIMD copy. */
  memoryBytes(): number {
    return this.centroids.byteLength + this.mirror.memoryBytes();
  }

  /** Centroid `row` (every centroid when omitted) was written in place: its SIMD copy is refreshed on the next scoreAll. */
  changed(row?: number): void {
    if (row === undefined) for (let block = 0; block < this.blockVersions.length; block += 1) this.blockVersions[block]! += 1;
    else this.blockVersions[Math.floor(row / blockRows)] = (this.blockVersions[Math.floor(row / blockRows)] ?? 0) + 1;
  }

  static fromCentroids(dimension: number, centroids: Float32Array, k: number): Codebook {
    const codebook = new Codebook(dimension, k);
    codebook.centroids.set(centroids.subarray(0, k * dimension));
    codebook.k = k;
    return codebook;
  }

  /** Appends a centroid (copied from vector[offset..]) and returns its index. */
  add(vector: Float32Array, offset = 0): number {
    const { dimension } = this;
    if ((this.k + 1) * dimension > this.centroids.length) {
      const grown = new Float32Array(this.centroids.length * 2);
      grown.set(this.centroids);
      this.centroids = grown;
    }
    this.centroids.set(vector.subarray(offset, offset + dimension), this.k * dimension);
    this.k += 1;
    this.changed(this.k - 1);
    return this.k - 1;
  }

  set(index: number, vector: Float32Array, offset = 0): void {
    this.centroids.set(vector.subarray(offset, offset + this.dimension), index * this.dimension);
    this.changed(index);
  }

  /** out[c] = query · centroid c, for every centroid. */
  scoreAll(query: Float32Array, out: Float32Array): void {
    const { dimension } = this;
    if (!this.mirror.setQuery(query)) {
      scoreRows(query, this.centroids, this.k, dimension, out);
      return;
    }
    for (let first = 0; first < this.k; first += blockRows) {
      const block = first / blockRows;
      const count = Math.min(blockRows, this.k - first);
      const rows = this.centroids.subarray(first * dimension, (first + blockRows) * dimension);
      this.mirror.scoreAgainstQuery(block, this.blockVersions[block] ?? 0, rows, count, out.subarray(first, first + count));
    }
  }

  /** The centroid with the largest inner product with vector[offset..]. */
  assign(vector: Float32Array, offset = 0): number {
    let best = -1;
    let bestScore = -Infinity;
    const { centroids, dimension } = this;
    for (let c = 0; c < this.k; c += 1) {
      const score = dot(vector, offset, centroids, c * dimension, dimension);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /** The n best centroids for a query, best first (fills `out`, returns how many). */
  probe(query: Float32Array, n: number, scratch: Float32Array, out: Int32Array): number {
    this.scoreAll(query, scratch);
    return selectTop(scratch, this.k, Math.min(n, this.k), out);
  }
}

/** Indices of the n largest of scores[0..count), best first, into out. */
export function selectTop(scores: Float32Array, count: number, n: number, out: Int32Array): number {
  const heap = new TopK(n);
  for (let c = 0; c < count; c += 1) if (scores[c]! > heap.threshold) heap.push(scores[c]!, c);
  const order = heap.sorted();
  for (let i = 0; i < order.length; i += 1) out[i] = order[i]!.id;
  return order.length;
}

export interface TrainOptions {
  seed: number;
  /** Lloyd iterations after seeding. */
  iterations?: number;
  /** Train on at most this many rows (a seeded sample); 0 means all. */
  maxTrainingRows?: number;
  /** k-means++ candidates per seed (default 2 + ln k); 1 is plain k-means++. */
  seedingTrials?: number;
}

/**
 * Spherical k-means (inner product, unit-norm centroids) over rows 0..count-1
 * of a row-major matrix. Seeded and deterministic; an emptied centroid is
 * re-seeded from a random row.
 */
export function trainCodebook(data: Float32Array, count: number, dimension: number, k: number, options: TrainOptions): Codebook {
  if (!Number.isInteger(k) || k < 1) throw new InvalidVqParameterError('k', 'a positive integer', k);
  if (count < k) throw new InvalidVqParameterError('count', `at least k=${k} training rows`, count);
  const prng = createPrng(options.seed);
  const iterations = options.iterations ?? 10;
  const sampleSize = options.maxTrainingRows && options.maxTrainingRows < count ? Math.max(k, options.maxTrainingRows) : count;
  const rows = sampleRows(count, sampleSize, prng.nextInt);

  const codebook = seedPlusPlus(data, rows, dimension, k, prng, options.seedingTrials ?? 2 + Math.floor(Math.log(k)));

  const sums = new Float64Array(k * dimension);
  const sizes = new Int32Array(k);
  const scores = new Float32Array(k);
  const row = new Float32Array(dimension);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    sums.fill(0);
    sizes.fill(0);
    for (const r of rows) {
      row.set(data.subarray(r * dimension, (r + 1) * dimension));
      codebook.scoreAll(row, scores);
      let best = 0;
      for (let c = 1; c < k; c += 1) if (scores[c]! > scores[best]!) best = c;
      sizes[best]! += 1;
      const base = best * dimension;
      for (let d = 0; d < dimension; d += 1) sums[base + d]! += row[d]!;
    }
    for (let c = 0; c < k; c += 1) {
      const base = c * dimension;
      if (sizes[c] === 0) {
        codebook.set(c, data, rows[prng.nextInt(rows.length)]! * dimension);
      } else {
        for (let d = 0; d < dimension; d += 1) codebook.centroids[base + d] = sums[base + d]!;
      }
      normalizeInPlace(codebook.centroids, base, dimension);
    }
    codebook.changed();
  }
  return codebook;
}

/**
 * Greedy k-means++ seeding (D² sampling with 1 − cos as the distance; each
 * step draws `trials` candidates and keeps the one that lowers the total most,
 * as scikit-learn does) on a sample of at most 8k rows.
 */
function seedPlusPlus(data: Float32Array, rows: Int32Array, dimension: number, k: number, prng: Prng, trials: number): Codebook {
  const pool = rows.length > 8 * k ? Int32Array.from(sampleRows(rows.length, 8 * k, prng.nextInt), (i) => rows[i]!) : rows;
  const codebook = new Codebook(dimension, k);
  const nearest = new Float64Array(pool.length).fill(Infinity);
  const candidate = new Float64Array(pool.length);
  const best = new Float64Array(pool.length);
  let chosen = pool[prng.nextInt(pool.length)]!;
  for (let c = 0; c < k; c += 1) {
    if (c > 0) {
      let total = 0;
      for (let i = 0; i < pool.length; i += 1) total += nearest[i]!;
      let bestTotal = Infinity;
      for (let t = 0; t < trials; t += 1) {
        let target = prng.next() * total;
        let pick = pool.length - 1;
        for (let i = 0; i < pool.length; i += 1) {
          target -= nearest[i]!;
          if (target <= 0 && nearest[i]! > 0) {
            pick = i;
            break;
          }
        }
        let candidateTotal = 0;
        for (let i = 0; i < pool.length; i += 1) {
          const distance = Math.max(0, 1 - cosine(data, pool[pick]! * dimension, pool[i]! * dimension, dimension));
          candidate[i] = Math.min(nearest[i]!, distance);
          candidateTotal += candidate[i]!;
        }
        if (candidateTotal < bestTotal) {
          bestTotal = candidateTotal;
          best.set(candidate);
          chosen = pool[pick]!;
        }
      }
      nearest.set(best);
    } else {
      for (let i = 0; i < pool.length; i += 1)
        nearest[i] = Math.max(0, 1 - cosine(data, chosen * dimension, pool[i]! * dimension, dimension));
    }
    codebook.add(data, chosen * dimension);
    normalizeInPlace(codebook.centroids, c * dimension, dimension);
    codebook.changed();
  }
  return codebook;
}

function cosine(data: Float32Array, a: number, b: number, dimension: number): number {
  const ab = dot(data, a, data, b, dimension);
  const norm = Math.sqrt(dot(data, a, data, a, dimension) * dot(data, b, data, b, dimension));
  return norm > 0 ? ab / norm : 0;
}

/** n distinct indices in [0, count), sorted (a partial Fisher-Yates). */
function sampleRows(count: number, n: number, nextInt: (n: number) => number): Int32Array {
  if (n >= count) return Int32Array.from({ length: count }, (_, i) => i);
  const pool = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < n; i += 1) {
    const j = i + nextInt(count - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, n).sort();
}
