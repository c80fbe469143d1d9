import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';

export interface ViewerPipeline {
  pipeline: LocalPipeline;
  /** A folder of its own, removed by stop(). */
  dataDir: string;
  stop(): Promise<void>;
}

type SignInOption = NonNullable<Parameters<typeof startLocalPipeline>[0]>['signIn'];

/**
 * The local pipeline serving the viewer as it is now, built into a private
 * folder (so a test never serves a stale or shared viewer/dist), with its
 * emulators on random ports and its data in a temporary folder; `signIn`
 * as startLocalPipeline takes it (the local OpenID provider and the
 * signed-cookie check).
 */
export async function startViewerPipeline(name: string, options: { signIn?: SignInOption } = {}): Promise<ViewerPipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const viewerDir = join(dataDir, 'viewer');
  await build({ configFile: 'viewer/vite.config.ts', logLevel: 'warn', build: { outDir: viewerDir, emptyOutDir: true } });
  const pipeline = await startLocalPipeline({
    dataDir: join(dataDir, 'data'),
    ports: 'random',
    viewerDir,
    log: () => {},
    handlerLogLevel: 'SILENT',
    ...options,
  });
  return {
    pipeline,
    dataDir,
    async stop() {
      await pipeline.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
