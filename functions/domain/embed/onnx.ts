// The ONNX embedder's own entry point: importing it loads onnxruntime-node.
export { createOnnxEmbedder } from './onnxEmbedder.js';
