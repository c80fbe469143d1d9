import { pipelineConfig } from '../../config/index.js';
import {
  currentDefaultEmbeddingDesign,
  defaultEmbedderName,
  defaultEmbeddingBlocks as blocks,
  defaultEmbeddingDesigns,
  type DefaultEmbeddingDesign,
  type DefaultEmbeddingDesignVersion,
} from './constants.js';
import { decodeForEmbedding } from './decodeForEmbedding.js';
import { InvalidEmbedParameterError } from './errors.js';
import { orientCanonically } from './mirrorOrientation.js';
import type { Embedder, EmbedderInfo, ImageInput, RawPixels } from './types.js';

/** Total floats of the default embedding. */
export const defaultEmbeddingDimension =
  blocks.layout.dims + blocks.colourLayout.dims + blocks.colourHistogram.dims + blocks.gradients.dims;

/**
 * The built-in embedder: no weights, deterministic, a few hundred microseconds
 * after decode. It describes how an image looks (layout of light and dark,
 * colours and where they are, edge directions), not what it shows; see
 * docs/embeddings.md.
 */
export function createDefaultEmbedder(
  sizePx: number = pipelineConfig.embedding.default.sizePx,
  designVersion: DefaultEmbeddingDesignVersion = currentDefaultEmbeddingDesign,
): Embedder {
  if (!Number.isInteger(sizePx) || sizePx < 32 || sizePx % 16 !== 0) {
    throw new InvalidEmbedParameterError('sizePx', 'a multiple of 16, at least 32', sizePx);
  }
  const design = defaultEmbeddingDesigns[designVersion];
  return {
    name: defaultEmbedderName,
    version: `${designVersion}-${sizePx}`,
    dimension: defaultEmbeddingDimension,
    async embed(image: ImageInput): Promise<Float32Array> {
      const { pixels, sourceAspect } = await decodeForEmbedding(image, sizePx, sizePx, 'fill');
      return computeDefaultEmbedding(pixels, sourceAspect, design);
    },
  };
}

/** The default embedder that made vectors recorded as `info`, of this or an earlier version; undefined for any other embedder. */
export function defaultEmbedderFor(info: EmbedderInfo): Embedder | undefined {
  if (info.name !== defaultEmbedderName || info.dimension !== defaultEmbeddingDimension) return undefined;
  const match = /^(\w+)-(\d+)$/.exec(info.version);
  if (!match || !Object.hasOwn(defaultEmbeddingDesigns, match[1]!)) return undefined;
  return createDefaultEmbedder(Number(match[2]), match[1] as DefaultEmbeddingDesignVersion);
}

// sRGB 8-bit -> linear, once.
const srgbToLinear = Float32Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
});

const dctSize = 8;
const cosineTables = new Map<number, Float32Array>();
/** cos(π (2x + 1) u / 2n) for u < 8, x < n. */
function cosineTable(n: number): Float32Array {
  let table = cosineTables.get(n);
  if (!table) {
    table = new Float32Array(dctSize * n);
    for (let u = 0; u < dctSize; u += 1) for (let x = 0; x < n; x += 1) table[u * n + x] = Math.cos((Math.PI * (2 * x + 1) * u) / (2 * n));
    cosineTables.set(n, table);
  }
  return table;
}

/**
 * The descriptor from square 3-channel sRGB pixels (side a multiple of 16).
 * Pure and synchronous: this is the part that must stay within 10 ms.
 */
export function computeDefaultEmbedding(
  pixels: RawPixels,
  sourceAspect = 1,
  design: DefaultEmbeddingDesign = defaultEmbeddingDesigns[currentDefaultEmbeddingDesign],
): Float32Array {
  const { data, widthPx: n, heightPx, channels } = pixels;
  if (channels !== 3 || n !== heightPx || n % 16 !== 0) {
    throw new InvalidEmbedParameterError('pixels', 'square 3-channel pixels, side a multiple of 16', { widthPx: n, heightPx, channels });
  }
  const count = n * n;
  const L = new Float32Array(count);
  const A = new Float32Array(count);
  const B = new Float32Array(count);
  // CIELAB (D65).
  for (let p = 0; p < count; p += 1) {
    const r = srgbToLinear[data[p * 3]!]!;
    const g = srgbToLinear[data[p * 3 + 1]!]!;
    const b = srgbToLinear[data[p * 3 + 2]!]!;
    const x = labF((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
    const y = labF(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const z = labF((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
    L[p] = 116 * y - 16;
    A[p] = 500 * (x - y);
    B[p] = 200 * (y - z);
  }
  // Contrast-normalised lightness: brightness and contrast changes cancel.
  let mean = 0;
  for (let p = 0; p < count; p += 1) mean += L[p]!;
  mean /= count;
  let variance = 0;
  for (let p = 0; p < count; p += 1) variance += (L[p]! - mean) ** 2;
  const invStd = 1 / Math.sqrt(variance / count + 1);
  const Z = new Float32Array(count);
  for (let p = 0; p < count; p += 1) Z[p] = (L[p]! - mean) * invStd;

  const out = new Float32Array(defaultEmbeddingDimension);
  let offset = 0;

  // 1. Layout: low-frequency DCT of Z at half resolution, without DC, plus log aspect.
  const half = n / 2;
  const small = new Float32Array(half * half);
  for (let y = 0; y < half; y += 1) {
    for (let x = 0; x < half; x += 1) {
      const p = 2 * y * n + 2 * x;
      small[y * half + x] = 0.25 * (Z[p]! + Z[p + 1]! + Z[p + n]! + Z[p + n + 1]!);
    }
  }
  const cos = cosineTable(half);
  const rows = new Float32Array(half * dctSize);
  for (let y = 0; y < half; y += 1) {
    for (let u = 0; u < dctSize; u += 1) {
      let s = 0;
      for (let x = 0; x < half; x += 1) s += small[y * half + x]! * cos[u * half + x]!;
      rows[y * dctSize + u] = s;
    }
  }
  const layout = out.subarray(offset, offset + blocks.layout.dims);
  let i = 0;
  for (let v = 0; v < dctSize; v += 1) {
    for (let u = 0; u < dctSize; u += 1) {
      if (u === 0 && v === 0) continue;
      let s = 0;
      for (let y = 0; y < half; y += 1) s += rows[y * dctSize + u]! * cos[v * half + y]!;
      layout[i] = s / (1 + 0.15 * (u + v));
      i += 1;
    }
  }
  layout[i] = Math.log(Math.max(1e-3, sourceAspect)) * 20;
  finishBlock(layout, design.weights.layout);
  offset += blocks.layout.dims;

  // 2. Colour layout: mean a*, b* per cell of a 4×4 grid.
  const cell = n / 4;
  const colourLayout = out.subarray(offset, offset + blocks.colourLayout.dims);
  for (let gy = 0; gy < 4; gy += 1) {
    for (let gx = 0; gx < 4; gx += 1) {
      let sa = 0;
      let sb = 0;
      for (let y = gy * cell; y < (gy + 1) * cell; y += 1) {
        for (let x = gx * cell; x < (gx + 1) * cell; x += 1) {
          sa += A[y * n + x]!;
          sb += B[y * n + x]!;
        }
      }
      const c = (gy * 4 + gx) * 2;
      colourLayout[c] = sa / (cell * cell);
      colourLayout[c + 1] = sb / (cell * cell);
    }
  }
  // A grey image has no colour layout; a small constant keeps the block defined.
  finishBlock(colourLayout, design.weights.colourLayout, 2);
  offset += blocks.colourLayout.dims;

  // 3. Colour histogram: a*b* 5×5 over [-50, 50] and contrast-normalised lightness 7 bins over [-2, 2], soft bins.
  const histogram = out.subarray(offset, offset + blocks.colourHistogram.dims);
  for (let p = 0; p < count; p += 1) {
    softBin2(histogram, 0, 5, (A[p]! + 50) / 25, (B[p]! + 50) / 25);
    softBin1(histogram, 25, 7, (Z[p]! + 2) * 1.5);
  }
  for (let h = 0; h < histogram.length; h += 1) histogram[h] = Math.sqrt(histogram[h]! / count);
  finishBlock(histogram, design.weights.colourHistogram);
  offset += blocks.colourHistogram.dims;

  // 4. Gradient orientations (unsigned, 8 bins over π) per cell of a 4×4 grid, magnitude-weighted.
  const gradients = out.subarray(offset, offset + blocks.gradients.dims);
  const binsPerRadian = 8 / Math.PI;
  for (let y = 1; y < n - 1; y += 1) {
    // Soft spatial binning: each pixel feeds the two nearest cell rows/columns (a crop shifts cells less abruptly).
    const cy = Math.min(3, Math.max(0, (y + 0.5) / cell - 0.5));
    const y0 = Math.min(2, Math.floor(cy));
    const wy = cy - y0;
    for (let x = 1; x < n - 1; x += 1) {
      const p = y * n + x;
      const dx = Z[p + 1]! - Z[p - 1]!;
      const dy = Z[p + n]! - Z[p - n]!;
      const magnitude = Math.sqrt(dx * dx + dy * dy);
      if (magnitude < 1e-3) continue;
      let angle = Math.atan2(dy, dx);
      if (angle < 0) angle += Math.PI;
      const position = angle * binsPerRadian - 0.5;
      const low = Math.floor(position);
      const frac = position - low;
      const cx = Math.min(3, Math.max(0, (x + 0.5) / cell - 0.5));
      const x0 = Math.min(2, Math.floor(cx));
      const wx = cx - x0;
      const b0 = (low + 8) % 8;
      const b1 = (low + 9) % 8;
      for (let j = 0; j < 4; j += 1) {
        const gx = x0 + (j & 1);
        const gy = y0 + (j >> 1);
        const w = magnitude * (j & 1 ? wx : 1 - wx) * (j >> 1 ? wy : 1 - wy);
        const base = (gy * 4 + gx) * 8;
        gradients[base + b0]! += w * (1 - frac);
        gradients[base + b1]! += w * frac;
      }
    }
  }
  for (let h = 0; h < gradients.length; h += 1) gradients[h] = Math.sqrt(gradients[h]!);
  finishBlock(gradients, design.weights.gradients);

  normalize(out);
  return design.mirrorSharpness === undefined ? out : orientCanonically(out, design.mirrorSharpness);
}

function labF(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
}

function softBin1(histogram: Float32Array, offset: number, bins: number, position: number): void {
  const p = Math.min(bins - 1, Math.max(0, position - 0.5));
  const low = Math.floor(p);
  const frac = p - low;
  histogram[offset + low]! += 1 - frac;
  if (low + 1 < bins) histogram[offset + low + 1]! += frac;
}

function softBin2(histogram: Float32Array, offset: number, bins: number, px: number, py: number): void {
  const x = Math.min(bins - 1, Math.max(0, px - 0.5));
  const y = Math.min(bins - 1, Math.max(0, py - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const x1 = Math.min(bins - 1, x0 + 1);
  const y1 = Math.min(bins - 1, y0 + 1);
  histogram[offset + y0 * bins + x0]! += (1 - fx) * (1 - fy);
  histogram[offset + y0 * bins + x1]! += fx * (1 - fy);
  histogram[offset + y1 * bins + x0]! += (1 - fx) * fy;
  histogram[offset + y1 * bins + x1]! += fx * fy;
}

/** L2-normalises a block to `weight` (a block with norm below `floor` is scaled as if it had `floor`). */
function finishBlock(block: Float32Array, weight: number, floor = 1e-6): void {
  let sum = 0;
  for (const v of block) sum += v * v;
  const scale = weight / Math.max(Math.sqrt(sum), floor);
  for (let i = 0; i < block.length; i += 1) block[i]! *= scale;
}

function normalize(v: Float32Array): void {
  let sum = 0;
  for (const x of v) sum += x * x;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i += 1) v[i]! *= inv;
}
