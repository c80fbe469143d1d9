import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe } from 'vitest';

/** moto_server is a second, independent S3+SQS implementation with native S3->SQS notifications. */
function motoServerAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' }).status === 0;
}

/** Why the moto_server cases are skipped on this machine, or undefined when it is installed. */
export const motoServerMissing: string | undefined = motoServerAvailable()
  ? undefined
  : 'moto_server is not installed here (the project machines have it; it is not on npm or in Debian)';

/**
 * describe.each over backends by name. A backend that needs moto_server runs
 * where it is installed, and elsewhere shows as skipped with the reason, rather
 * than leaving the list without a word.
 */
export function describeEachBackend<Backend extends { name: string; needsMotoServer?: boolean }>(
  backends: readonly Backend[],
  title: (name: string) => string,
  body: (backend: Backend) => void,
): void {
  for (const backend of backends) {
    const missing = backend.needsMotoServer ? motoServerMissing : undefined;
    describe.skipIf(missing !== undefined)(`${title(backend.name)}${missing ? ` (skipped: ${missing})` : ''}`, () => body(backend));
  }
}

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error('moto_server did not start within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    endpoint,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
