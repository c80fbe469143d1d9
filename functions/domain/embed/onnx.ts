// The ONNX embedder's own entry point: onnxruntime-node is loaded when an embedder is made (./onnxRuntime.ts).
export { createOnnxEmbedder, type OnnxEmbedder } from './onnxEmbedder.js';
export type { OnnxRuntime } from './onnxRuntime.js';
