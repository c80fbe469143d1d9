import { codeRowMultiple } from './scoreKernel.js';

/**
 * Compact codes for the list scan: each vector as uint8 per dimension with its
 * own affine map, x[d] ≈ low + step · code[d] (8 bytes: low and step), so a
 * list scan reads a quarter of the float32 bytes. Per-vector rather than
 * per-dimension ranges, because a streaming index has no training set to fix
 * per-dimension ranges on, and a vector's code never changes once written.
 * The query is quantised to int16 (finer than the codes, as the scan is
 * asymmetric): q[d] ≈ value[d] / scale. Then
 *   q · x ≈ low · Σq + step · (Σ value[d] · code[d]) / scale.
 */

/** Bytes of one vector's code: the dimension padded with zero codes to the kernel's multiple. */
export function codeBytesFor(dimension: number): number {
  return Math.ceil(dimension / codeRowMultiple) * codeRowMultiple;
}

/** float32 values per code row kept beside the codes: low and step. */
export const codeParamsPerRow = 2;

/** Bytes scanned per vector: its code plus its two parameters. */
export function scanBytesPerVector(dimension: number): number {
  return codeBytesFor(dimension) + codeParamsPerRow * 4;
}

const codeLevels = 255;

/** Encodes vector[offset..offset+dimension) into codes[codeOffset..] (padding left at zero) and params[paramOffset], [+1]. */
export function encodeScalarCode(
  vector: Float32Array,
  offset: number,
  dimension: number,
  codes: Uint8Array,
  codeOffset: number,
  params: Float32Array,
  paramOffset: number,
): void {
  let low = Infinity;
  let high = -Infinity;
  for (let d = 0; d < dimension; d += 1) {
    const value = vector[offset + d]!;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const step = high > low ? (high - low) / codeLevels : 0;
  const inverse = step > 0 ? 1 / step : 0;
  for (let d = 0; d < dimension; d += 1) codes[codeOffset + d] = Math.round((vector[offset + d]! - low) * inverse);
  codes.fill(0, codeOffset + dimension, codeOffset + codeBytesFor(dimension));
  params[paramOffset] = low;
  params[paramOffset + 1] = step;
}

/** A query quantised for the code scan; reused across queries of one dimension. */
export class QuantizedQuery {
  /** int16 values, padded with zeros to the code row length. */
  readonly values: Int16Array;
  /** values[d] ≈ query[d] · scale. */
  scale = 1;
  /** Σ query[d], for the codes' offsets. */
  sum = 0;
  /** The largest |value| that keeps Σ value · code inside int32 for this row length. */
  private readonly maxValue: number;

  constructor(readonly dimension: number) {
    const rowBytes = codeBytesFor(dimension);
    this.values = new Int16Array(rowBytes);
    this.maxValue = Math.min(32_767, Math.floor((2 ** 31 - 1) / (codeLevels * rowBytes)));
  }

  set(query: Float32Array): this {
    let largest = 0;
    let sum = 0;
    for (let d = 0; d < this.dimension; d += 1) {
      const value = query[d]!;
      sum += value;
      largest = Math.max(largest, Math.abs(value));
    }
    this.sum = sum;
    this.scale = largest > 0 ? this.maxValue / largest : 1;
    for (let d = 0; d < this.dimension; d += 1) this.values[d] = Math.round(query[d]! * this.scale);
    return this;
  }
}

/** Σ value[d] · code[d] over one code row: the JavaScript reference of the SIMD kernel. */
export function codeDot(values: Int16Array, codes: Uint8Array, codeOffset: number, rowBytes: number): number {
  let sum = 0;
  for (let d = 0; d < rowBytes; d += 1) sum += values[d]! * codes[codeOffset + d]!;
  return sum;
}
