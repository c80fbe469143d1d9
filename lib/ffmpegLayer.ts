import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { lambdaEnvNames } from '../functions/config/index.js';
import { resolveFfmpegBinaries } from '../functions/domain/video/index.js';

/** Where the layer puts the binaries in the function (layers are extracted to /opt). */
const ffmpegLayerPaths = { ffmpeg: '/opt/bin/ffmpeg', ffprobe: '/opt/bin/ffprobe' } as const;

/** What a function with the layer is told: where its binaries are (unset, functions/domain/video uses the npm installers'). */
export const ffmpegLayerEnvironment: Record<string, string> = {
  [lambdaEnvNames.ffmpegPath]: ffmpegLayerPaths.ffmpeg,
  [lambdaEnvNames.ffprobePath]: ffmpegLayerPaths.ffprobe,
};

const installers = ['@ffmpeg-installer/linux-x64', '@ffprobe-installer/linux-x64'] as const;

/**
 * ffmpeg and ffprobe as a Lambda layer: the static linux-x64 builds that the
 * npm installers ship (the same binaries the tests and the local mode run),
 * copied into bin/ at synth time. No Docker and no download: the asset is
 * keyed by the installers' versions, so it is uploaded once per version.
 */
export class FfmpegLayer extends LayerVersion {
  constructor(scope: Construct, id: string) {
    // The lookup ignores the environment's paths: these are the binaries on this machine, not in Lambda.
    const binaries = resolveFfmpegBinaries({});
    const load = createRequire(import.meta.url);
    const versions = installers.map((name) => `${name}@${(load(`${name}/package.json`) as { version: string }).version}`);
    super(scope, id, {
      description: `ffmpeg and ffprobe, static linux-x64 builds (${versions.join(', ')})`,
      compatibleRuntimes: [Runtime.NODEJS_22_X],
      compatibleArchitectures: [Architecture.X86_64],
      // johnvansickle.com builds are configured with --enable-gpl --enable-version3.
      license: 'GPL-3.0-or-later',
      code: Code.fromAsset(dirname(binaries.ffmpeg), {
        assetHashType: AssetHashType.CUSTOM,
        assetHash: versions.join('+'),
        bundling: {
          // Never pulled: local bundling below always succeeds.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/busybox'),
          local: {
            tryBundle(outputDir: string): boolean {
              mkdirSync(join(outputDir, 'bin'), { recursive: true });
              for (const [name, path] of Object.entries(binaries)) {
                const target = join(outputDir, 'bin', name);
                copyFileSync(path, target);
                chmodSync(target, 0o755);
              }
              return true;
            },
          },
        },
      }),
    });
  }
}
