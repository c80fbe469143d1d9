/**
 * The cold start a model of your own adds to a Lambda environment, measured
 * in a fresh child process: import onnxruntime-node from the layer's bundled
 * directory (lib/onnxRuntimeLayer.ts), create the session from the model's
 * bytes (createOnnxEmbedder, which also runs it once to learn the dimension),
 * and embed one JPEG. The model is generated offline (syntheticOnnxModel.ts).
 * Run alone: `npx tsx bench/embeddings/onnxColdStart.ts`. A Lambda adds the S3
 * download of the model (about model MB ÷ 80 MB/s) and runs at the memory's CPU share.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { bundleOnnxRuntimeLayer } from '../../lib/onnxRuntimeLayer.js';
import { runChild } from '../vqScale/childProcess.js';
import { syntheticImageEncoderModel } from './syntheticOnnxModel.js';

export interface OnnxColdStart {
  model: string;
  modelMb: number;
  importMs: number;
  readModelMs: number;
  createSessionMs: number;
  firstEmbedMs: number;
  /** importMs + createSessionMs + firstEmbedMs: what the first invocation waits for on top of reading the model. */
  coldStartMs: number;
  warmEmbedMs: number;
  /** The child's whole life, Node and tsx start-up included. */
  processMs: number;
  peakRssMb: number;
}

export async function measureOnnxColdStart(options: { blocks?: number } = {}): Promise<OnnxColdStart> {
  const blocks = options.blocks ?? 4;
  const dir = await mkdtemp(join(tmpdir(), 'xr-onnx-cold-'));
  try {
    const layerDir = join(dir, 'layer');
    bundleOnnxRuntimeLayer(layerDir);
    const model = syntheticImageEncoderModel(blocks);
    const modelPath = join(dir, 'model.onnx');
    await writeFile(modelPath, model);
    const imagePath = join(dir, 'photo.jpg');
    const noise = Buffer.alloc(1600 * 1200 * 3);
    for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 2654435761) >>> 24;
    await writeFile(
      imagePath,
      await sharp(noise, { raw: { width: 1600, height: 1200, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
    const started = performance.now();
    const child = await runChild<Omit<OnnxColdStart, 'model' | 'modelMb' | 'coldStartMs' | 'processMs'>>(
      '../embeddings/onnxColdStartProcess.ts',
      { layerDir, modelPath, imagePath },
    );
    const processMs = performance.now() - started;
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      model: `synthetic ViT-like encoder, ${blocks} MLP blocks, 224×224 → 512 (syntheticOnnxModel.ts)`,
      modelMb: round(model.length / 2 ** 20),
      importMs: round(child.importMs),
      readModelMs: round(child.readModelMs),
      createSessionMs: round(child.createSessionMs),
      firstEmbedMs: round(child.firstEmbedMs),
      coldStartMs: round(child.importMs + child.createSessionMs + child.firstEmbedMs),
      warmEmbedMs: round(child.warmEmbedMs),
      processMs: round(processMs),
      peakRssMb: round(child.peakRssMb),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await measureOnnxColdStart(), null, 2));
}
