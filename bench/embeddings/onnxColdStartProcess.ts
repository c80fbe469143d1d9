/**
 * A fresh process's first embedding with the ONNX runtime from the layer's
 * directory, as a new Lambda environment makes it (bench/embeddings/onnxColdStart.ts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOnnxEmbedder, type OnnxRuntime } from '../../functions/domain/embed/onnx.js';
import { childInput, childResult, peakRssMb } from '../vqScale/childProcess.js';

const { layerDir, modelPath, imagePath } = childInput<{ layerDir: string; modelPath: string; imagePath: string }>();
const started = performance.now();
const runtime = createRequire(join(layerDir, 'nodejs', 'node_modules', 'resolver.js'))('onnxruntime-node') as OnnxRuntime;
const imported = performance.now();
const model = await readFile(modelPath);
const read = performance.now();
const embedder = await createOnnxEmbedder({
  name: 'synthetic',
  version: '1',
  model,
  runtime,
  preprocessing: {
    widthPx: 224,
    heightPx: 224,
    resize: 'cover',
    layout: 'NCHW',
    channelOrder: 'RGB',
    mean: [0.48, 0.46, 0.41],
    std: [0.27, 0.26, 0.28],
  },
});
const created = performance.now();
await embedder.embed({ bytes: await readFile(imagePath) });
const embedded = performance.now();
await embedder.embed({ bytes: await readFile(imagePath) });
const warm = performance.now();
childResult({
  importMs: imported - started,
  readModelMs: read - imported,
  createSessionMs: created - read,
  firstEmbedMs: embedded - created,
  warmEmbedMs: warm - embedded,
  peakRssMb: peakRssMb(),
});
