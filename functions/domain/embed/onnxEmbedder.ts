import type * as Ort from 'onnxruntime-node';
import { decodeForEmbedding } from './decodeForEmbedding.js';
import { InvalidEmbedParameterError, OnnxModelError } from './errors.js';
import { loadOnnxRuntime, type OnnxRuntime } from './onnxRuntime.js';
import type { Embedder, ImageInput, OnnxEmbedderOptions, OnnxPreprocessing, RawPixels } from './types.js';

export interface OnnxEmbedder extends Embedder {
  /** Frees the session's native memory. */
  release(): Promise<void>;
}

/**
 * A user-supplied image encoder (e.g. a CLIP image tower) run by
 * onnxruntime-node on the CPU. Preprocessing is declared, not guessed: size,
 * resize mode, layout, channel order, mean and std. The dimension is learned
 * from one run on a blank image when the session is created; the output is
 * flattened and L2-normalised.
 */
export async function createOnnxEmbedder(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
  const pre = validatePreprocessing(options.preprocessing);
  const ort = options.runtime ?? loadOnnxRuntime();
  let session: Ort.InferenceSession;
  try {
    session =
      typeof options.model === 'string'
        ? await ort.InferenceSession.create(options.model, { executionProviders: ['cpu'], intraOpNumThreads: 1 })
        : await ort.InferenceSession.create(options.model, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  } catch (error) {
    throw new OnnxModelError(`cannot load the model: ${(error as Error).message}`);
  }
  const inputName = options.inputName ?? session.inputNames[0];
  const outputName = options.outputName ?? session.outputNames[0];
  if (!inputName || !session.inputNames.includes(inputName))
    throw new OnnxModelError(`no input '${String(inputName)}'; inputs: ${session.inputNames.join(', ')}`);
  if (!outputName || !session.outputNames.includes(outputName))
    throw new OnnxModelError(`no output '${String(outputName)}'; outputs: ${session.outputNames.join(', ')}`);

  const run = async (pixels: RawPixels): Promise<Float32Array> => {
    const tensor = toInputTensor(ort, pixels, pre);
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [inputName]: tensor });
    } catch (error) {
      throw new OnnxModelError(`inference failed: ${(error as Error).message}`);
    }
    const output = result[outputName];
    if (!output || output.type !== 'float32') throw new OnnxModelError(`output '${outputName}' is not a float32 tensor`);
    const vector = Float32Array.from(output.data as Float32Array);
    let sum = 0;
    for (const v of vector) sum += v * v;
    if (!(sum > 0) || !Number.isFinite(sum)) throw new OnnxModelError('the output vector is zero or not finite');
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.length; i += 1) vector[i]! *= inv;
    return vector;
  };

  const blank: RawPixels = {
    data: new Uint8Array(pre.widthPx * pre.heightPx * 3).fill(128),
    widthPx: pre.widthPx,
    heightPx: pre.heightPx,
    channels: 3,
  };
  const dimension = (await run(blank)).length;
  return {
    name: options.name,
    version: options.version,
    dimension,
    async embed(image: ImageInput): Promise<Float32Array> {
      const { pixels } = await decodeForEmbedding(image, pre.widthPx, pre.heightPx, pre.resize);
      const vector = await run(pixels);
      if (vector.length !== dimension) throw new OnnxModelError(`output has ${vector.length} values, expected ${dimension}`);
      return vector;
    },
    release: () => session.release(),
  };
}

/** Pixels (3-channel, at the model's size) to the declared float tensor [1, C, H, W] or [1, H, W, C]. */
function toInputTensor(ort: OnnxRuntime, pixels: RawPixels, pre: OnnxPreprocessing): Ort.Tensor {
  const { widthPx: w, heightPx: h, data } = pixels;
  if (w !== pre.widthPx || h !== pre.heightPx || pixels.channels !== 3) {
    throw new InvalidEmbedParameterError('pixels', `3-channel ${pre.widthPx}×${pre.heightPx}`, {
      widthPx: w,
      heightPx: h,
      channels: pixels.channels,
    });
  }
  const plane = w * h;
  const values = new Float32Array(plane * 3);
  const order = pre.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c += 1) {
    const source = order[c]!;
    const mean = pre.mean[c]!;
    const invStd = 1 / pre.std[c]!;
    for (let p = 0; p < plane; p += 1) {
      const value = (data[p * 3 + source]! / 255 - mean) * invStd;
      values[pre.layout === 'NCHW' ? c * plane + p : p * 3 + c] = value;
    }
  }
  return new ort.Tensor('float32', values, pre.layout === 'NCHW' ? [1, 3, h, w] : [1, h, w, 3]);
}

function validatePreprocessing(pre: OnnxPreprocessing): OnnxPreprocessing {
  for (const name of ['widthPx', 'heightPx'] as const) {
    if (!Number.isInteger(pre[name]) || pre[name] < 1 || pre[name] > 4096)
      throw new InvalidEmbedParameterError(`preprocessing.${name}`, 'an integer in 1..4096', pre[name]);
  }
  if (pre.resize !== 'cover' && pre.resize !== 'fill')
    throw new InvalidEmbedParameterError('preprocessing.resize', "'cover' or 'fill'", pre.resize);
  if (pre.layout !== 'NCHW' && pre.layout !== 'NHWC')
    throw new InvalidEmbedParameterError('preprocessing.layout', "'NCHW' or 'NHWC'", pre.layout);
  if (pre.channelOrder !== 'RGB' && pre.channelOrder !== 'BGR')
    throw new InvalidEmbedParameterError('preprocessing.channelOrder', "'RGB' or 'BGR'", pre.channelOrder);
  if (pre.mean.length !== 3 || pre.mean.some((v) => !Number.isFinite(v)))
    throw new InvalidEmbedParameterError('preprocessing.mean', 'three finite numbers', pre.mean);
  if (pre.std.length !== 3 || pre.std.some((v) => !(v > 0)))
    throw new InvalidEmbedParameterError('preprocessing.std', 'three positive numbers', pre.std);
  return pre;
}
