import { createPrng } from '../../functions/domain/vq/prng.js';

export interface ClusteredSet {
  dimension: number;
  count: number;
  /** count × dimension, unit rows. */
  vectors: Float32Array;
  /** The generating cluster of each row. */
  labels: Int32Array;
  clusters: number;
}

export interface ClusteredSetOptions {
  count: number;
  dimension: number;
  clusters: number;
  seed: number;
  /** Rows per cluster follow 1/(rank+1)^zipf: a few big clusters, many small ones. */
  zipf?: number;
  /** Clusters belong to super-clusters, so neighbouring clusters overlap. */
  superClusters?: number;
  /** Each cluster varies inside its own low-dimensional subspace, plus isotropic noise. */
  subspaceDim?: number;
}

/**
 * A seeded clustered set that looks like embeddings: a hierarchy of
 * super-clusters and clusters with Zipf sizes, each cluster spread along its
 * own low-dimensional subspace (so within-cluster neighbours are meaningful),
 * plus isotropic noise; rows are L2-normalised.
 */
export function clusteredSet(options: ClusteredSetOptions): ClusteredSet {
  const { count, dimension: D, clusters: C, seed } = options;
  const zipf = options.zipf ?? 0.6;
  const supers = options.superClusters ?? Math.max(1, Math.round(C / 20));
  const sub = options.subspaceDim ?? 12;
  const prng = createPrng(seed);
  const gauss = prng.nextGaussian;
  const unit = (v: Float32Array) => {
    let s = 0;
    for (const x of v) s += x * x;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i += 1) v[i]! *= inv;
    return v;
  };
  const superCentres = Array.from({ length: supers }, () => unit(Float32Array.from({ length: D }, gauss)));
  const centres: Float32Array[] = [];
  const bases: Float32Array[] = [];
  const spreads: number[] = [];
  for (let c = 0; c < C; c += 1) {
    const parent = superCentres[prng.nextInt(supers)]!;
    const centre = Float32Array.from({ length: D }, (_, d) => parent[d]! + 0.8 * (gauss() / Math.sqrt(D)) * Math.sqrt(D) * 0.09);
    centres.push(unit(centre));
    bases.push(Float32Array.from({ length: sub * D }, () => gauss() / Math.sqrt(D)));
    spreads.push(0.35 + 0.3 * prng.next());
  }
  const weights = Array.from({ length: C }, (_, c) => 1 / Math.pow(c + 1, zipf));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(C);
  let acc = 0;
  weights.forEach((w, c) => {
    acc += w / total;
    cumulative[c] = acc;
  });
  const vectors = new Float32Array(count * D);
  const labels = new Int32Array(count);
  const z = new Float32Array(sub);
  for (let i = 0; i < count; i += 1) {
    const u = prng.next();
    let lo = 0;
    let hi = C - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    const c = lo;
    labels[i] = c;
    const centre = centres[c]!;
    const basis = bases[c]!;
    const spread = spreads[c]!;
    for (let j = 0; j < sub; j += 1) z[j] = gauss() * spread;
    const base = i * D;
    let norm = 0;
    for (let d = 0; d < D; d += 1) {
      let v = centre[d]! + (0.25 * gauss()) / Math.sqrt(D);
      for (let j = 0; j < sub; j += 1) v += basis[j * D + d]! * z[j]!;
      vectors[base + d] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < D; d += 1) vectors[base + d]! *= inv;
  }
  return { dimension: D, count, vectors, labels, clusters: C };
}
