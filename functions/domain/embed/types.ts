import type { ModelPreprocessing } from '../../config/index.js';
import type { OnnxRuntime } from './onnxRuntime.js';

/** Decoded pixels, row-major, interleaved 8-bit channels. */
export interface RawPixels {
  data: Uint8Array;
  widthPx: number;
  heightPx: number;
  channels: 1 | 2 | 3 | 4;
}

/** Encoded image bytes (any format sharp reads), or pixels already decoded (e.g. by ingest's one decode). */
export type ImageInput = { bytes: Uint8Array } | { pixels: RawPixels };

/** What the manifest records about the model that made an embedding. */
export interface EmbedderInfo {
  name: string;
  version: string;
  dimension: number;
}

export interface Embedder extends EmbedderInfo {
  /** An L2-normalised vector of `dimension` floats. Same input, same output. */
  embed(image: ImageInput): Promise<Float32Array>;
}

/** How an image encoder wants its input tensor (declared in config, never guessed). */
export type OnnxPreprocessing = ModelPreprocessing;

export interface OnnxEmbedderOptions {
  name: string;
  version: string;
  /** A file path, or the model bytes (e.g. fetched from S3 by the handler). */
  model: string | Uint8Array;
  preprocessing: OnnxPreprocessing;
  /** Defaults to the model's first input and first output. */
  inputName?: string;
  outputName?: string;
  /** onnxruntime-node as loaded from elsewhere (a test of the Lambda layer's copy); loaded from node_modules or NODE_PATH when absent. */
  runtime?: OnnxRuntime;
}
