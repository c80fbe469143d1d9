import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  computeDefaultEmbedding,
  createDefaultEmbedder,
  decodeEmbedding,
  defaultEmbedderFor,
  defaultEmbeddingDesigns,
  defaultEmbeddingDimension,
  encodeEmbedding,
  InvalidEmbedParameterError,
  mirrorEmbedding,
} from '../../../../functions/domain/embed/index.js';
import { createPrng } from '../../../../functions/domain/vq/index.js';
import { transformNames, transformedCopy } from '../../../helpers/imageTransforms.js';

/** A seeded photo-like scene: a sky-to-ground gradient, shapes of varied colour, and fine grain. */
async function scene(seed: number): Promise<Buffer> {
  const prng = createPrng(seed);
  const colour = () => `hsl(${prng.nextInt(360)},${30 + prng.nextInt(60)}%,${25 + prng.nextInt(50)}%)`;
  const shapes = Array.from({ length: 6 + prng.nextInt(6) }, () =>
    prng.next() < 0.5
      ? `<circle cx="${prng.nextInt(480)}" cy="${prng.nextInt(320)}" r="${15 + prng.nextInt(70)}" fill="${colour()}"/>`
      : `<rect x="${prng.nextInt(440)}" y="${prng.nextInt(290)}" width="${30 + prng.nextInt(160)}" height="${20 + prng.nextInt(120)}" fill="${colour()}" transform="rotate(${prng.nextInt(60) - 30} 240 160)"/>`,
  ).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>` +
    `<rect width="480" height="320" fill="url(#g)"/>${shapes}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i += 1) data[i] = Math.max(0, Math.min(255, data[i]! + Math.round(prng.nextGaussian() * 6)));
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('the default embedder', () => {
  const embedder = createDefaultEmbedder();

  it('is deterministic, unit length and of the declared dimension', async () => {
    const bytes = await scene(1);
    const a = await embedder.embed({ bytes });
    const b = await embedder.embed({ bytes });
    expect(a.length).toBe(defaultEmbeddingDimension);
    expect(embedder.dimension).toBe(defaultEmbeddingDimension);
    expect(a).toEqual(b);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
  });

  it('finds the original first for at least 95 % of changed copies (resize, crop, JPEG q50, brightness, rotation) among distinct scenes', async () => {
    const originals = await Promise.all(Array.from({ length: 16 }, (_, i) => scene(100 + i)));
    const vectors = await Promise.all(originals.map((bytes) => embedder.embed({ bytes })));
    let top1 = 0;
    let copies = 0;
    for (const [i, bytes] of originals.entries()) {
      for (const transform of transformNames) {
        const copy = await embedder.embed({ bytes: await transformedCopy(bytes, transform) });
        const scores = vectors.map((v) => cosine(v, copy));
        const best = scores.indexOf(Math.max(...scores));
        copies += 1;
        if (best === i) top1 += 1;
      }
    }
    expect(top1 / copies).toBeGreaterThanOrEqual(0.95);
  });

  it('ranks a look-alike (same scene, recoloured slightly) above unrelated scenes', async () => {
    const original = await scene(7);
    const lookAlike = await sharp(original).modulate({ hue: 12, saturation: 0.9 }).jpeg().toBuffer();
    const v = await embedder.embed({ bytes: original });
    const near = cosine(v, await embedder.embed({ bytes: lookAlike }));
    for (const seed of [8, 9, 10, 11]) expect(near).toBeGreaterThan(cosine(v, await embedder.embed({ bytes: await scene(seed) })));
  });

  it('gives the same embedding from decoded pixels as from the encoded bytes', async () => {
    const bytes = await scene(3);
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const fromPixels = await embedder.embed({ pixels: { data, widthPx: info.width, heightPx: info.height, channels: 3 } });
    expect(cosine(fromPixels, await embedder.embed({ bytes }))).toBeGreaterThan(0.995);
  });

  it('gives a mirrored copy the same vector, while a picture and a different picture stay apart', async () => {
    for (const seed of [20, 21, 22, 23, 24, 25]) {
      const bytes = await scene(seed);
      const mirrored = await sharp(bytes).flop().jpeg({ quality: 92 }).toBuffer();
      const v = await embedder.embed({ bytes });
      // Exactly invariant but for the resampler and the JPEG re-encode.
      expect(cosine(v, await embedder.embed({ bytes: mirrored }))).toBeGreaterThan(0.995);
      expect(cosine(v, await embedder.embed({ bytes: await scene(seed + 100) }))).toBeLessThan(0.95);
    }
  });

  it('finds the original first for every mirrored and every 5° rotated copy among distinct scenes', async () => {
    const originals = await Promise.all(Array.from({ length: 16 }, (_, i) => scene(200 + i)));
    const vectors = await Promise.all(originals.map((bytes) => embedder.embed({ bytes })));
    for (const [i, bytes] of originals.entries()) {
      const mirrored = await sharp(bytes).flop().jpeg({ quality: 90 }).toBuffer();
      for (const copy of [mirrored, await transformedCopy(bytes, 'rotate-5deg')]) {
        const v = await embedder.embed({ bytes: copy });
        const scores = vectors.map((original) => cosine(original, v));
        expect(scores.indexOf(Math.max(...scores))).toBe(i);
      }
    }
  });

  it("computes a mirrored image's features as a signed permutation of the original's (the map the invariance rests on)", async () => {
    const bytes = await scene(40);
    const decode = async (input: Buffer) => {
      const { data, info } = await sharp(input).resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, widthPx: info.width, heightPx: info.height, channels: 3 as const };
    };
    const unoriented = defaultEmbeddingDesigns['1'];
    const original = computeDefaultEmbedding(await decode(bytes), 1.5, unoriented);
    const mirrored = computeDefaultEmbedding(await decode(await sharp(bytes).flop().png().toBuffer()), 1.5, unoriented);
    expect(cosine(mirrorEmbedding(original), mirrored)).toBeGreaterThan(0.999);
    // Not invariant by accident: without the map, the two differ.
    expect(cosine(original, mirrored)).toBeLessThan(0.98);
  });

  it('names its version and can still make the vectors of an earlier version, for searching an index it built', async () => {
    expect(embedder.version).toBe('2-64');
    const bytes = await scene(5);
    const previous = defaultEmbedderFor({ name: 'xr-default-image', version: '1-64', dimension: 256 });
    expect(previous?.version).toBe('1-64');
    const { data, info } = await sharp(bytes).resize(64, 64, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
    const pixels = { data, widthPx: info.width, heightPx: info.height, channels: 3 as const };
    expect(
      cosine(await previous!.embed({ bytes }), computeDefaultEmbedding(pixels, 480 / 320, defaultEmbeddingDesigns['1'])),
    ).toBeGreaterThan(0.999);
    expect(defaultEmbedderFor({ name: 'xr-default-image', version: '9-64', dimension: 256 })).toBeUndefined();
    expect(defaultEmbedderFor({ name: 'clip', version: '2-64', dimension: 256 })).toBeUndefined();
  });

  it('rejects pixels of the wrong shape', () => {
    expect(() => computeDefaultEmbedding({ data: new Uint8Array(30 * 30 * 3), widthPx: 30, heightPx: 30, channels: 3 })).toThrow(
      InvalidEmbedParameterError,
    );
    expect(() => createDefaultEmbedder(40)).toThrow(InvalidEmbedParameterError);
  });

  it('stores embeddings as raw little-endian float32', async () => {
    const v = await embedder.embed({ bytes: await scene(4) });
    const bytes = encodeEmbedding(v);
    expect(bytes.length).toBe(v.length * 4);
    expect(new DataView(bytes.buffer).getFloat32(4, true)).toBe(v[1]);
    expect(decodeEmbedding(bytes, v.length)).toEqual(v);
    expect(() => decodeEmbedding(bytes.subarray(1))).toThrow();
  });
});
