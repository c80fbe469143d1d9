import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** The runtime a function with the layer loads (functions/domain/embed/onnxRuntime.ts); esbuild leaves it out of the bundle. */
export const onnxRuntimePackage = 'onnxruntime-node';

/**
 * What of the two packages the CPU runtime needs on linux-x64, and nothing else:
 * onnxruntime-node ships every platform's binaries (288 MB installed), over
 * Lambda's 250 MB; its dist/ loads bin/napi-v6/<platform>/<arch>/ and onnxruntime-common.
 */
const layerFiles = [
  { name: 'onnxruntime-node', paths: ['package.json', 'dist', 'bin/napi-v6/linux/x64'] },
  { name: 'onnxruntime-common', paths: ['package.json', 'dist'] },
] as const;

/** A package's directory, resolved as onnxruntime-node resolves it at run time (onnxruntime-common exports no package.json). */
function packageDir(name: string): string {
  const fromNode = createRequire(createRequire(import.meta.url).resolve(`${onnxRuntimePackage}/package.json`));
  let dir = dirname(fromNode.resolve(name));
  while (packageJson(dir)?.name !== name) {
    if (dirname(dir) === dir) throw new Error(`cannot find the directory of ${name}`);
    dir = dirname(dir);
  }
  return dir;
}

function packageJson(dir: string): { name?: string; version: string } | undefined {
  const path = join(dir, 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version: string }) : undefined;
}

function packageVersion(name: string): string {
  return packageJson(packageDir(name))!.version;
}

/** Copies the layer's files into outputDir (nodejs/node_modules/…, where Lambda's NODE_PATH looks); the layer test runs what it copies. */
export function bundleOnnxRuntimeLayer(outputDir: string): void {
  for (const { name, paths } of layerFiles) {
    for (const path of paths) {
      const target = join(outputDir, 'nodejs', 'node_modules', name, path);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(packageDir(name), path), target, { recursive: true });
    }
  }
}

/**
 * onnxruntime-node for CPU inference on x86_64 as a Lambda layer, for the
 * functions that embed with a model of your own (docs/embeddings.md). Copied
 * from node_modules at synth time: no Docker and no download, and the asset
 * is keyed by the two packages' versions, so it is uploaded once per version.
 */
export class OnnxRuntimeLayer extends LayerVersion {
  constructor(scope: Construct, id: string) {
    const versions = layerFiles.map(({ name }) => `${name}@${packageVersion(name)}`);
    super(scope, id, {
      description: `ONNX Runtime for Node.js, CPU, linux-x64 only (${versions.join(', ')})`,
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.X86_64],
      license: 'MIT',
      code: Code.fromAsset(packageDir(onnxRuntimePackage), {
        assetHashType: AssetHashType.CUSTOM,
        assetHash: versions.join('+'),
        bundling: {
          // Never pulled: local bundling below always succeeds.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/busybox'),
          local: {
            tryBundle(outputDir: string): boolean {
              bundleOnnxRuntimeLayer(outputDir);
              return true;
            },
          },
        },
      }),
    });
  }
}
