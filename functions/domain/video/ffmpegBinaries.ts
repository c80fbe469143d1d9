import { createRequire } from 'node:module';
import { lambdaEnvNames } from '../../config/index.js';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * The one place the binaries are found. On Lambda the stack sets their paths
 * in the ffmpeg layer; locally the npm installers' static linux-x64 builds are
 * used (they are not bundled into the function: lib/ marks them external).
 */
export function resolveFfmpegBinaries(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries {
  const fromEnv = { ffmpeg: env[lambdaEnvNames.ffmpegPath], ffprobe: env[lambdaEnvNames.ffprobePath] };
  const load = createRequire(import.meta.url);
  return {
    ffmpeg: fromEnv.ffmpeg || (load('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: fromEnv.ffprobe || (load('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}
