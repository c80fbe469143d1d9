import type { ModelPreprocessing } from '../../functions/config/index.js';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * A real ONNX image encoder small enough to write by hand:
 * input [1, 3, H, W] → GlobalAveragePool → Flatten → MatMul(weights [3, D]) → [1, D].
 */
export function tinyImageEncoderModel(weights: number[][], heightPx: number, widthPx: number): Uint8Array {
  const outputDim = weights[0]!.length;
  const tensorType = (dims: number[]) => ({
    tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'xr-media-pipeline tests',
    graph: {
      name: 'tiny-encoder',
      node: [
        { opType: 'GlobalAveragePool', input: ['pixels'], output: ['pooled'], name: 'pool' },
        {
          opType: 'Flatten',
          input: ['pooled'],
          output: ['flat'],
          name: 'flatten',
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        },
        { opType: 'MatMul', input: ['flat', 'weights'], output: ['embedding'], name: 'project' },
      ],
      initializer: [{ name: 'weights', dataType: onnx.TensorProto.DataType.FLOAT, dims: [3, outputDim], floatData: weights.flat() }],
      input: [{ name: 'pixels', type: tensorType([1, 3, heightPx, widthPx]) }],
      output: [{ name: 'embedding', type: tensorType([1, outputDim]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A 16×16 encoder of channel means to 5 floats: vectors unlike the default embedder's in every way. */
export const tinyEncoderModel = (): Uint8Array =>
  tinyImageEncoderModel(
    [
      [1, 0, 0.5, -1, 0.2],
      [0, 1, 0.5, 2, -0.3],
      [0, 0, 1, 0.25, 0.9],
    ],
    16,
    16,
  );

/** tinyEncoderModel's declared input: 16×16, stretched, NCHW RGB, centred on grey. */
export const tinyEncoderPreprocessing: ModelPreprocessing = {
  widthPx: 16,
  heightPx: 16,
  resize: 'fill',
  layout: 'NCHW',
  channelOrder: 'RGB',
  mean: [0.5, 0.5, 0.5],
  std: [0.25, 0.25, 0.25],
};
