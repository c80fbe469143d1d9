import { defaultEmbeddingBlocks as blocks } from './constants.js';

/**
 * Where each float of a default embedding goes when the image is mirrored
 * left to right, and whether its sign flips. The descriptor is built so that a
 * mirror is exactly this signed permutation (up to the resampler): a DCT
 * coefficient of odd horizontal frequency changes sign, grid cells swap
 * columns, an unsigned orientation θ becomes π − θ, histograms stay.
 */
interface MirrorMap {
  source: Int32Array;
  sign: Float32Array;
}

let mirrorMap: MirrorMap | undefined;

function buildMirrorMap(dimension: number): MirrorMap {
  const source = Int32Array.from({ length: dimension }, (_, i) => i);
  const sign = new Float32Array(dimension).fill(1);
  // Layout: 8×8 DCT without DC, v-major, then the aspect ratio (unchanged).
  let i = 0;
  for (let v = 0; v < 8; v += 1) {
    for (let u = 0; u < 8; u += 1) {
      if (u === 0 && v === 0) continue;
      if (u % 2 === 1) sign[i] = -1;
      i += 1;
    }
  }
  let offset = blocks.layout.dims;
  // Colour layout: a*, b* per cell of a 4×4 grid.
  for (let gy = 0; gy < 4; gy += 1)
    for (let gx = 0; gx < 4; gx += 1)
      for (let c = 0; c < 2; c += 1) source[offset + (gy * 4 + gx) * 2 + c] = offset + (gy * 4 + (3 - gx)) * 2 + c;
  offset += blocks.colourLayout.dims + blocks.colourHistogram.dims;
  // Gradients: 8 orientation bins per cell of a 4×4 grid; bin b (centre (b + ½)π/8) mirrors to 7 − b.
  for (let gy = 0; gy < 4; gy += 1)
    for (let gx = 0; gx < 4; gx += 1)
      for (let b = 0; b < 8; b += 1) source[offset + (gy * 4 + gx) * 8 + b] = offset + (gy * 4 + (3 - gx)) * 8 + (7 - b);
  return { source, sign };
}

/** The embedding of the mirrored image, from the embedding itself. */
export function mirrorEmbedding(vector: Float32Array): Float32Array {
  mirrorMap ??= buildMirrorMap(vector.length);
  const { source, sign } = mirrorMap;
  return vector.map((_, i) => vector[source[i]!]! * sign[i]!);
}

/**
 * The same vector for an image and its mirror, without losing which way a
 * picture faces when it clearly faces one way: a blend of the vector and its
 * mirror, weighted by how strongly the picture is lighter on its left than on
 * its right (the first horizontal DCT coefficient, relative to the layout
 * block). A mirror negates that statistic and swaps the two terms, so the
 * result is identical; near zero the blend is the symmetric part, and the
 * weight moves smoothly, so a small crop or rotation moves the vector little.
 */
export function orientCanonically(vector: Float32Array, sharpness: number): Float32Array {
  const mirrored = mirrorEmbedding(vector);
  let layoutEnergy = 0;
  for (let i = 0; i < blocks.layout.dims - 1; i += 1) layoutEnergy += vector[i]! ** 2;
  const facing = vector[0]! / Math.max(Math.sqrt(layoutEnergy), 1e-6);
  const weight = 1 / (1 + Math.exp(-sharpness * facing));
  const out = vector.map((v, i) => weight * v + (1 - weight) * mirrored[i]!);
  let sum = 0;
  for (const v of out) sum += v * v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < out.length; i += 1) out[i]! *= inv;
  return out;
}
