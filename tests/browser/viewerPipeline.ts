import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { ItemManifest, ItemsPage } from '../../functions/domain/items/types.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';

/** The items the API lists, looked up by their upload's key (every key must be there). */
export async function itemsByUploadKey(pipeline: LocalPipeline): Promise<(key: string) => ItemManifest> {
  const listed = ((await (await fetch(new URL('api/items', pipeline.viewerUrl))).json()) as ItemsPage).items;
  return (key) => {
    const item = listed.find((candidate) => candidate.source.key === key);
    if (!item) throw new Error(`no item for ${key} among the ${listed.length} listed`);
    return item;
  };
}

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
