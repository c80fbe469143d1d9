import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidEmbedParameterError, OnnxModelError, type OnnxPreprocessing } from '../../../../functions/domain/embed/index.js';
import { createOnnxEmbedder } from '../../../../functions/domain/embed/onnx.js';
import { tinyImageEncoderModel } from '../../../helpers/tinyOnnxModel.js';

const weights = [
  [1, 0, 0.5, -1],
  [0, 1, 0.5, 2],
  [0, 0, 1, 0.25],
];
const preprocessing: OnnxPreprocessing = {
  widthPx: 8,
  heightPx: 8,
  resize: 'fill',
  layout: 'NCHW',
  channelOrder: 'RGB',
  mean: [0.5, 0.25, 0.1],
  std: [0.5, 0.25, 0.2],
};

/** What the model must output for pixels: per-channel mean of (x/255 − mean)/std, times weights, normalised. */
function expected(rgb: Uint8Array, pre: OnnxPreprocessing): number[] {
  const order = pre.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const pixels = rgb.length / 3;
  const channelMeans = order.map((source, c) => {
    let sum = 0;
    for (let p = 0; p < pixels; p += 1) sum += (rgb[p * 3 + source]! / 255 - pre.mean[c]!) / pre.std[c]!;
    return sum / pixels;
  });
  const out = weights[0]!.map((_, j) => channelMeans.reduce((s, m, c) => s + m * weights[c]![j]!, 0));
  const norm = Math.hypot(...out);
  return out.map((v) => v / norm);
}

async function photoLike(): Promise<{ bytes: Buffer; rgb8: Uint8Array }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48"><rect width="64" height="48" fill="#3a6"/><circle cx="20" cy="20" r="14" fill="#e33"/><rect x="36" y="8" width="20" height="32" fill="#238"/></svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  const rgb8 = await sharp(bytes).resize(8, 8, { fit: 'fill', kernel: 'cubic' }).toColourspace('srgb').removeAlpha().raw().toBuffer();
  return { bytes, rgb8 };
}

describe('createOnnxEmbedder on a model the test builds', () => {
  it('runs the model and returns the normalised projection of the preprocessed pixels', async () => {
    const { bytes, rgb8 } = await photoLike();
    const embedder = await createOnnxEmbedder({ name: 'tiny', version: '1', model: tinyImageEncoderModel(weights, 8, 8), preprocessing });
    try {
      expect(embedder).toMatchObject({ name: 'tiny', version: '1', dimension: 4 });
      const vector = await embedder.embed({ bytes });
      const want = expected(rgb8, preprocessing);
      vector.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    } finally {
      await embedder.release();
    }
  });

  it('honours the declared channel order and layout, from a model file path', async () => {
    const { rgb8 } = await photoLike();
    const dir = await mkdtemp(join(tmpdir(), 'xr-onnx-'));
    try {
      const path = join(dir, 'encoder.onnx');
      await writeFile(path, tinyImageEncoderModel(weights, 8, 8));
      const bgr = { ...preprocessing, channelOrder: 'BGR' as const };
      const embedder = await createOnnxEmbedder({ name: 'tiny', version: '1', model: path, preprocessing: bgr });
      const vector = await embedder.embed({ pixels: { data: rgb8, widthPx: 8, heightPx: 8, channels: 3 } });
      const want = expected(rgb8, bgr);
      vector.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      expect(want).not.toEqual(expected(rgb8, preprocessing));
      await embedder.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a model that cannot load and preprocessing it cannot honour', async () => {
    await expect(createOnnxEmbedder({ name: 'x', version: '1', model: new Uint8Array([1, 2, 3]), preprocessing })).rejects.toThrow(
      OnnxModelError,
    );
    await expect(
      createOnnxEmbedder({
        name: 'x',
        version: '1',
        model: tinyImageEncoderModel(weights, 8, 8),
        preprocessing: { ...preprocessing, std: [1, 0, 1] },
      }),
    ).rejects.toThrow(InvalidEmbedParameterError);
    // The model is fixed at 8×8; a 16×16 tensor does not fit its declared input.
    await expect(
      createOnnxEmbedder({
        name: 'x',
        version: '1',
        model: tinyImageEncoderModel(weights, 8, 8),
        preprocessing: { ...preprocessing, widthPx: 16, heightPx: 16 },
      }),
    ).rejects.toThrow(OnnxModelError);
  });
});
