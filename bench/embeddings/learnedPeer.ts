import { normalizeInPlace } from '../../functions/domain/vq/index.js';
import type { Candidate, DecodedForEmbedding } from './candidates.js';

/** MobileNetV2's input side and the layer read: the 7×7 average pool of its last block, flattened (1280 floats). */
const inputPx = 224;
const featureLayer = 'flatten_1';

/**
 * A learned peer that ships its weights inside an npm package: nsfwjs's
 * MobileNetV2 (fine-tuned from ImageNet), on @tensorflow/tfjs with the WASM
 * backend (its .wasm files are in the package, nothing is downloaded). Its
 * penultimate pooled features, L2-normalised, are the embedding; the class
 * head is ignored. Slow in pure JS/WASM, so it runs on the capped subsets.
 */
export async function loadLearnedPeer(): Promise<Candidate | { skipped: string }> {
  // nsfwjs announces its model with console.info: keep stdout for the JSON line.
  const { info, log } = console;
  console.info = console.log = console.error;
  try {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return { skipped: 'the tfjs WASM backend did not initialise' };
    await tf.ready();
    const nsfwjs = await import('nsfwjs');
    const model = await nsfwjs.load('MobileNetV2');
    return {
      name: `nsfwjs-mobilenet-v2 (tfjs ${tf.getBackend()})`,
      isDefault: false,
      capped: true,
      inputPx,
      fit: 'fill',
      async describe(decoded: DecodedForEmbedding): Promise<Float32Array> {
        const { data, widthPx, heightPx } = decoded.pixels;
        const input = tf.tensor3d(data, [heightPx, widthPx, 3], 'int32');
        const features = model.infer(input, featureLayer);
        const vector = Float32Array.from(await features.data());
        input.dispose();
        features.dispose();
        normalizeInPlace(vector, 0, vector.length);
        return vector;
      },
    };
  } catch (error) {
    return { skipped: `nsfwjs / @tensorflow/tfjs could not be loaded or run: ${(error as Error).message}` };
  } finally {
    console.info = info;
    console.log = log;
  }
}
