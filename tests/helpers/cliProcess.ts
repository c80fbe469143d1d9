import { execFile } from 'node:child_process';
import type { LocalPipeline } from '../../local/index.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real CLI in a child process, as a user runs it (`npm run cli --` is `tsx bin/cli.ts`; the package's bin runs bin/xr-media.mjs). */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, entry = ['--import', 'tsx', 'bin/cli.ts']): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...entry, ...args],
      { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Points the CLI at a test's local pipeline (random ports) the way a user points it at a non-default one. */
export const localEndpointArgs = (pipeline: LocalPipeline): string[] => [
  '--s3-endpoint',
  pipeline.target.s3.endpoint!,
  '--sqs-endpoint',
  pipeline.target.sqs.endpoint!,
  '--viewer-url',
  pipeline.viewerUrl,
];
