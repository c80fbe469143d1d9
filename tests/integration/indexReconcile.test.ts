import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, embedderKey } from '../../functions/domain/embed/index.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import {
  allShards,
  indexKeys,
  IndexShardWriter,
  loadIndexShard,
  parseStoredManifest,
  scopedIndexKey,
  scopedIndexStorage,
  shardOfItem,
} from '../../functions/domain/vq/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * The index's half of reconciliation, in the local mode: an upsert lost with
 * a crash leaves a ready item no query finds, and a delete lost leaves an
 * entry whose item is gone. One sweep puts both right; a second finds nothing.
 * An indexer killed between a commit's pack and its manifest leaves a pack
 * nothing names: removed once it is older than any commit can run.
 */
describe('reconciling the index with the items', () => {
  let dataDir: string;
  let pipeline: LocalPipeline;
  const embedder = createDefaultEmbedder();
  const itemIds: string[] = [];
  /** A sweep of an index that holds exactly the three ready items, and no unnamed pack. */
  const nothingToDo = { ready: 3, indexed: 3, reannounced: [], removed: [], complete: true, orphansRemoved: [] };
  const ownIndex = () =>
    scopedIndexStorage(new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated'), embedderKey(embedder));
  const writerFor = (itemId: string) =>
    new IndexShardWriter(ownIndex(), {
      shard: shardOfItem(itemId, pipelineConfig.vq.shards),
      config: { ...pipelineConfig.vq.index, dimension: embedder.dimension },
      embedder,
    });
  const indexed = async () => {
    const ids = new Set<string>();
    for (const shard of allShards(pipelineConfig.vq.shards))
      for (const entry of (await loadIndexShard(ownIndex(), shard))?.index.entries() ?? []) ids.add(entry.id);
    return ids;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-index-reconcile-'));
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
    for (const [index, hue] of ['#c04020', '#20c040', '#4020c0'].entries()) {
      const bytes = await makeJpeg(320, 240, hue);
      itemIds.push(itemIdForContent(bytes));
      await pipeline.upload(`uploads/reconcile/photo-${index}.jpg`, bytes);
    }
    await pipeline.waitForIdle(120_000);
  }, 180_000);

  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finds nothing to do when the index holds exactly the ready items', async () => {
    expect(await pipeline.reconcileIndex()).toEqual(nothingToDo);
  });

  it('announces a ready item the index lost, removes an entry whose item is gone, and then finds nothing', async () => {
    const lost = itemIds[1]!;
    const gone = 'e'.repeat(32);
    await writerFor(lost).apply([{ op: 'delete', id: lost }]);
    await writerFor(gone).apply([{ op: 'upsert', id: gone, vector: await embedder.embed({ bytes: await makeJpeg(64, 64, '#777777') }) }]);
    expect((await indexed()).has(lost)).toBe(false);

    const swept = await pipeline.reconcileIndex();
    expect(swept).toMatchObject({ ready: 3, reannounced: [lost], removed: [gone], complete: true });
    await pipeline.waitForIdle(60_000);
    expect([...(await indexed())].sort()).toEqual([...itemIds].sort());
    expect(await pipeline.reconcileIndex()).toEqual(nothingToDo);
  });

  it('deletes a pack no manifest names once it is old enough, and keeps the named ones', async () => {
    const storage = new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated');
    const shard = shardOfItem(itemIds[0]!, pipelineConfig.vq.shards);
    const manifestKey = scopedIndexKey(indexKeys.manifest(shard), embedderKey(embedder));
    const manifest = parseStoredManifest(manifestKey, (await storage.get(manifestKey))!.bytes) as {
      generation: number;
      packs?: { key: string }[];
    };
    const namedPack = scopedIndexKey(manifest.packs![0]!.key, embedderKey(embedder));
    // What a killed writer leaves: a pack of its commit, the manifest never written.
    const orphan = scopedIndexKey(indexKeys.pack(shard, manifest.generation + 1, 'deadbeef0000', 0), embedderKey(embedder));
    await storage.put(orphan, (await storage.get(namedPack))!.bytes, 'application/octet-stream');

    // Younger than the indexer's timeout: it may be a commit in progress.
    expect((await pipeline.reconcileIndex()).orphansRemoved).toEqual([]);
    expect(await storage.get(orphan)).toBeDefined();
    expect((await pipeline.reconcileIndex({ orphanMinAgeMs: 0 })).orphansRemoved).toEqual([orphan]);
    expect(await storage.get(orphan)).toBeUndefined();
    expect(await storage.get(namedPack)).toBeDefined();
    expect([...(await indexed())].sort()).toEqual([...itemIds].sort());
  });
});
