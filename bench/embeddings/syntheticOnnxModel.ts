import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * An image encoder shaped like a small ViT image tower, with random weights:
 * input [1, 3, 224, 224] → 32×32 patch Conv to 768 channels (49 tokens) →
 * `blocks` residual MLP blocks (768 → 3072 → 768, ReLU) → mean over tokens →
 * a 768 → 512 projection. Four blocks are 21.6 M float32 weights (86 MB), about
 * a quarter of CLIP ViT-B/32's image tower (88 M parameters, 350 MB); no
 * attention, so it computes less per weight. Made offline, for cold-start figures.
 */
export function syntheticImageEncoderModel(blocks = 4, seed = 1): Uint8Array {
  let state = seed >>> 0;
  const random = (count: number, scale: number) => {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[i] = (state / 2 ** 32 - 0.5) * 2 * scale;
    }
    return values;
  };
  const float = (name: string, dims: number[], scale: number) => ({
    name,
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims,
    rawData: new Uint8Array(
      random(
        dims.reduce((a, b) => a * b, 1),
        scale,
      ).buffer,
    ),
  });
  const int64 = (name: string, values: number[]) => ({
    name,
    dataType: onnx.TensorProto.DataType.INT64,
    dims: [values.length],
    rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
  });
  const width = 768;
  const hidden = 3072;
  const initializer = [
    float('patch', [width, 3, 32, 32], 0.02),
    int64('tokensShape', [1, width, 49]),
    float('projection', [width, 512], 0.05),
  ];
  const node: Record<string, unknown>[] = [
    {
      opType: 'Conv',
      input: ['pixels', 'patch'],
      output: ['patches'],
      attribute: [
        { name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [32, 32] },
        { name: 'strides', type: onnx.AttributeProto.AttributeType.INTS, ints: [32, 32] },
      ],
    },
    { opType: 'Reshape', input: ['patches', 'tokensShape'], output: ['channelsFirst'] },
    {
      opType: 'Transpose',
      input: ['channelsFirst'],
      output: ['x0'],
      attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 1] }],
    },
  ];
  for (let b = 0; b < blocks; b += 1) {
    initializer.push(float(`up${b}`, [width, hidden], 0.02), float(`down${b}`, [hidden, width], 0.02));
    node.push(
      { opType: 'MatMul', input: [`x${b}`, `up${b}`], output: [`h${b}`] },
      { opType: 'Relu', input: [`h${b}`], output: [`r${b}`] },
      { opType: 'MatMul', input: [`r${b}`, `down${b}`], output: [`d${b}`] },
      { opType: 'Add', input: [`x${b}`, `d${b}`], output: [`x${b + 1}`] },
    );
  }
  node.push(
    {
      opType: 'ReduceMean',
      input: [`x${blocks}`],
      output: ['pooled'],
      attribute: [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ],
    },
    { opType: 'MatMul', input: ['pooled', 'projection'], output: ['embedding'] },
  );
  const tensorType = (dims: number[]) => ({
    tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'xr-media-pipeline bench',
    graph: {
      name: 'synthetic-vit-like-encoder',
      node,
      initializer,
      input: [{ name: 'pixels', type: tensorType([1, 3, 224, 224]) }],
      output: [{ name: 'embedding', type: tensorType([1, 512]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
