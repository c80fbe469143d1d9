import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';

/** The onnxruntime-node module (its InferenceSession and Tensor). */
export type OnnxRuntime = typeof Ort;

/**
 * Loads onnxruntime-node when an ONNX embedder is made, never at import: a
 * static import would be hoisted to the top of a function's bundle, and every
 * function without the runtime (the default embedder's) would fail to start.
 * CommonJS resolution on purpose: it searches node_modules beside the code and
 * then NODE_PATH, which on Lambda names the layers' /opt/nodejs/node_modules
 * (lib/onnxRuntimeLayer.ts).
 */
export function loadOnnxRuntime(): OnnxRuntime {
  return createRequire(import.meta.url)('onnxruntime-node') as OnnxRuntime;
}
