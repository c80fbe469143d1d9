import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnnxRuntime } from '../../functions/domain/embed/onnx.js';
import { createOnnxEmbedder } from '../../functions/domain/embed/onnx.js';
import { bundleOnnxRuntimeLayer } from '../../lib/onnxRuntimeLayer.js';
import { makeJpeg } from '../helpers/testImages.js';
import { tinyImageEncoderModel } from '../helpers/tinyOnnxModel.js';

function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    });
}

describe('the ONNX runtime layer, as bundled', () => {
  // Outside the repository: nothing above it has a node_modules to fall back on.
  const layerDir = mkdtempSync(join(tmpdir(), 'xr-onnx-layer-'));
  bundleOnnxRuntimeLayer(layerDir);
  afterAll(() => rmSync(layerDir, { recursive: true, force: true }));

  it('holds the linux-x64 CPU runtime and its JavaScript only, well under Lambda’s 250 MB', () => {
    const files = filesUnder(layerDir);
    const native = files.filter(({ path }) => path.includes('/bin/')).map(({ path }) => path);
    expect(native.sort()).toEqual([
      'nodejs/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'nodejs/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    ]);
    const totalMb = files.reduce((sum, { bytes }) => sum + bytes, 0) / 2 ** 20;
    expect(totalMb).toBeLessThan(60);
  });

  it('loads onnxruntime-node and onnxruntime-common from the layer alone and runs a real model with it', async () => {
    // Resolved as Lambda's NODE_PATH resolves it: from the layer's nodejs/node_modules.
    const load = createRequire(join(layerDir, 'nodejs', 'node_modules', 'resolver.js'));
    const runtimePath = load.resolve('onnxruntime-node');
    expect(runtimePath.startsWith(layerDir)).toBe(true);
    const runtime = load('onnxruntime-node') as OnnxRuntime;
    const common = createRequire(runtimePath).resolve('onnxruntime-common');
    expect(common.startsWith(layerDir)).toBe(true);

    const model = tinyImageEncoderModel(
      [
        [1, 0, 0.5],
        [0, 1, 0.5],
        [0, 0, 1],
      ],
      8,
      8,
    );
    const preprocessing = {
      widthPx: 8,
      heightPx: 8,
      resize: 'fill',
      layout: 'NCHW',
      channelOrder: 'RGB',
      mean: [0, 0, 0],
      std: [1, 1, 1],
    } as const;
    const fromLayer = await createOnnxEmbedder({ name: 'tiny', version: '1', model, preprocessing, runtime });
    const fromNodeModules = await createOnnxEmbedder({ name: 'tiny', version: '1', model, preprocessing });
    try {
      const bytes = await makeJpeg(64, 48, '#c04020');
      expect(fromLayer.dimension).toBe(3);
      expect(Array.from(await fromLayer.embed({ bytes }))).toEqual(Array.from(await fromNodeModules.embed({ bytes })));
    } finally {
      await fromLayer.release();
      await fromNodeModules.release();
    }
  });
});
