import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { findUnprocessedUploads } from '../../functions/stages/reconcile/index.js';
import { ingestUpload, type IngestDeps } from '../../functions/stages/ingest/index.js';
import { getJson, itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { createS3Client, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { startEmbeddedEmulators, type EmbeddedEmulators } from '../../local/embeddedEmulators.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * A crash between the viewable manifest and the foveated layers leaves the
 * item 'rendering'; the next delivery (or reconciliation) must complete it.
 * The crash is provoked for real: a foveation setting naming an unknown headset
 * makes the layer step throw after the first manifest is written.
 */
describe('ingest resumes an item left rendering', () => {
  let dataDir: string;
  let emulators: EmbeddedEmulators;
  let deps: IngestDeps;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-resume-'));
    emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
    const s3 = createS3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      endpoint: emulators.s3Endpoint,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'xr-resume' }));
    deps = { store: new S3ObjectStore(s3, 'xr-resume'), limits: pipelineConfig.image };
  });

  afterAll(async () => {
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is viewable after the crash, listed as unprocessed, and ready after a re-delivery', async () => {
    const bytes = await makeJpeg(1600, 1200);
    const key = 'uploads/resume/photo.jpg';
    await deps.store.put(key, bytes, { contentType: 'image/jpeg' });
    const itemId = itemIdForContent(bytes);
    const crashing: IngestDeps = { ...deps, foveation: { ...pipelineConfig.foveation, profiles: ['no-such-headset'] } };

    await expect(ingestUpload(crashing, { key })).rejects.toThrow(/no-such-headset/);
    const viewable = await getJson<ItemManifest>(deps.store, itemKeys.manifest(itemId));
    expect(viewable).toMatchObject({ itemId, status: 'rendering' });
    expect(viewable!.foveated).toBeUndefined();
    for (const preview of viewable!.previews) expect((await deps.store.head(preview.key))?.bytes).toBe(preview.bytes);
    expect(await deps.store.head(itemKeys.errorRecord(key))).toBeUndefined();
    const unprocessed: string[] = [];
    for await (const found of findUnprocessedUploads(deps.store)) unprocessed.push(found);
    expect(unprocessed).toEqual([key]);

    const outcome = await ingestUpload(deps, { key });
    expect(outcome).toMatchObject({ outcome: 'created', itemId });
    const ready = await getJson<ItemManifest>(deps.store, itemKeys.manifest(itemId));
    expect(ready).toMatchObject({ status: 'ready', previews: viewable!.previews, source: viewable!.source });
    expect(await deps.store.head(ready!.foveated!.key)).toBeDefined();
    for await (const found of findUnprocessedUploads(deps.store)) expect.unreachable(`still unprocessed: ${found}`);

    expect(await ingestUpload(deps, { key })).toEqual({ outcome: 'duplicate', itemId });
  });
});
