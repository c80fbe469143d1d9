import { fileURLToPath } from 'node:url';

/**
 * Where things live in this repository, resolved from this file rather than the
 * working directory, so `cdk synth` and the stack tests agree wherever they run.
 */
const repoRootUrl = new URL('..', import.meta.url);
const inRepo = (relativePath: string) => fileURLToPath(new URL(relativePath, repoRootUrl));

export const repoPaths = {
  root: fileURLToPath(repoRootUrl),
  /** Pins the versions `nodeModules` installs into a function's asset. */
  lockFile: inRepo('package-lock.json'),
  /** A Lambda entry point: a module under functions/handlers/ that exports `handler`. */
  handler: (module: string) => inRepo(`functions/handlers/${module}.ts`),
  /** Written by `npm run build:viewer`. */
  viewerDist: inRepo('viewer/dist'),
} as const;
