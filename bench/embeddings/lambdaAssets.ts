/**
 * How big each Lambda function is as deployed with a model of your own: its
 * unzipped code asset plus its layers' assets, from a real synth (esbuild
 * bundles, npm installs of sharp for linux-x64, the layers copied), against
 * Lambda's 250 MB limit on function + layers unzipped.
 * Run alone: `npx tsx bench/embeddings/lambdaAssets.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { pipelineConfig } from '../../functions/config/index.js';
import { deployContext } from '../../lib/deployContext.js';
import { repoPaths } from '../../lib/repoPaths.js';
import { XrMediaPipelineStack } from '../../lib/xrMediaPipelineStack.js';

export interface LambdaAssetSizes {
  /** The function's construct path, e.g. XrMediaPipeline/Video/Function. */
  largestFunction: string;
  largestMb: number;
  /** Code plus layers, unzipped, per function. */
  perFunctionMb: Record<string, number>;
  /** Each layer's unzipped size, by construct path. */
  layerMb: Record<string, number>;
}

interface TemplateResource {
  Type: string;
  Properties?: { Layers?: { Ref: string }[] };
  Metadata?: Record<string, string>;
}

/** A directory's files, or a zip asset's entries (unzipped sizes, from its central directory). */
function assetPathBytes(path: string): number {
  if (statSync(path).isFile()) {
    const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    return Number(/^\s*(\d+)/.exec(listing)?.[1] ?? statSync(path).size);
  }
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Synthesizes the stack with `-c embeddingModel=<model>` into a temporary cloud assembly and sums the asset directories. */
export async function measureLambdaAssets(model = 's3://example-bucket/model.onnx'): Promise<LambdaAssetSizes> {
  const outdir = mkdtempSync(join(tmpdir(), 'xr-lambda-assets-'));
  // A stand-in viewer build: the site's files are not a function's.
  const viewer = join(outdir, 'viewer');
  mkdirSync(viewer);
  writeFileSync(join(viewer, 'index.html'), '<!doctype html>');
  try {
    const cdkJson = JSON.parse(readFileSync(join(repoPaths.root, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
    const app = new App({
      outdir: join(outdir, 'cdk.out'),
      context: {
        ...cdkJson.context,
        'aws:cdk:enable-asset-metadata': true,
        'aws:cdk:enable-path-metadata': true,
        embeddingModel: model,
        viewerAssetPath: viewer,
      },
    });
    new XrMediaPipelineStack(app, pipelineConfig.stackName, deployContext(app));
    const assembly = app.synth();
    const stack = assembly.getStackByName(pipelineConfig.stackName);
    const resources = (stack.template as { Resources: Record<string, TemplateResource> }).Resources;
    const assetBytes = (resource: TemplateResource | undefined) => {
      const path = resource?.Metadata?.['aws:asset:path'];
      return path ? assetPathBytes(join(assembly.directory, path)) : 0;
    };
    const pathOf = (resource: TemplateResource, id: string) => (resource.Metadata?.['aws:cdk:path'] ?? id).replace(/\/Resource$/, '');
    const perFunctionMb: Record<string, number> = {};
    const layerMb: Record<string, number> = {};
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::Lambda::LayerVersion') layerMb[pathOf(resource, id)] = mb(assetBytes(resource));
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const layers = (resource.Properties?.Layers ?? []).map(({ Ref }) => resources[Ref]);
      perFunctionMb[pathOf(resource, id)] = mb(assetBytes(resource) + layers.reduce((sum, layer) => sum + assetBytes(layer), 0));
    }
    const [largestFunction, largestMb] = Object.entries(perFunctionMb).sort(([, a], [, b]) => b - a)[0]!;
    return { largestFunction, largestMb, perFunctionMb, layerMb };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await measureLambdaAssets(), null, 2));
}
