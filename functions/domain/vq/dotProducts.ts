/**
 * The hot loops: inner products over Float32Array rows, unrolled by four with
 * independent accumulators, allocation-free.
 */

/** a[aOffset..aOffset+dim) · b[bOffset..bOffset+dim). */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  const end4 = dim - (dim & 3);
  for (; d < end4; d += 4) {
    s0 += a[aOffset + d]! * b[bOffset + d]!;
    s1 += a[aOffset + d + 1]! * b[bOffset + d + 1]!;
    s2 += a[aOffset + d + 2]! * b[bOffset + d + 2]!;
    s3 += a[aOffset + d + 3]! * b[bOffset + d + 3]!;
  }
  for (; d < dim; d += 1) s0 += a[aOffset + d]! * b[bOffset + d]!;
  return s0 + s1 + s2 + s3;
}

/**
 * out[i] = query · rows[i] for rows 0..count-1 of a row-major matrix.
 * Blocked by two rows so each query element is loaded once per pair.
 */
export function scoreRows(query: Float32Array, rows: Float32Array, count: number, dim: number, out: Float32Array): void {
  let i = 0;
  for (; i + 1 < count; i += 2) {
    const o0 = i * dim;
    const o1 = o0 + dim;
    let a0 = 0;
    let a1 = 0;
    let b0 = 0;
    let b1 = 0;
    let d = 0;
    const end2 = dim - (dim & 1);
    for (; d < end2; d += 2) {
      const q0 = query[d]!;
      const q1 = query[d + 1]!;
      a0 += q0 * rows[o0 + d]!;
      a1 += q1 * rows[o0 + d + 1]!;
      b0 += q0 * rows[o1 + d]!;
      b1 += q1 * rows[o1 + d + 1]!;
    }
    if (d < dim) {
      a0 += query[d]! * rows[o0 + d]!;
      b0 += query[d]! * rows[o1 + d]!;
    }
    out[i] = a0 + a1;
    out[i + 1] = b0 + b1;
  }
  if (i < count) out[i] = dot(query, 0, rows, i * dim, dim);
}

/** Scales v[offset..offset+dim) to unit L2 norm in place; returns the norm before. A zero vector stays zero. */
export function normalizeInPlace(v: Float32Array, offset = 0, dim = v.length - offset): number {
  let sum = 0;
  for (let d = 0; d < dim; d += 1) sum += v[offset + d]! * v[offset + d]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) {
    const inv = 1 / norm;
    for (let d = 0; d < dim; d += 1) v[offset + d]! *= inv;
  }
  return norm;
}
