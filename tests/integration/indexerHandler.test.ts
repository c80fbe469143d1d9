import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { embedderKey, encodeEmbedding } from '../../functions/domain/embed/index.js';
import { createIndexerHandler, type IndexerHandlerDeps } from '../../functions/handlers/indexQueueWorker.js';
import { itemKeys } from '../../functions/domain/items/index.js';
import { S3IndexStorage } from '../../functions/adapters/store/index.js';
import {
  IndexShardWriter,
  indexKeys,
  loadIndexShard,
  groupByShard,
  scopedIndexStorage,
  shardOfItem,
  type IndexStorage,
} from '../../functions/domain/vq/index.js';
import { SimilarityIndex } from '../../functions/stages/retrieval/index.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';
import { indexUpdateRecord, sqsEvent, testContext } from '../helpers/sqsEvents.js';
import { clusteredVectors } from '../helpers/vectorSets.js';

/**
 * The indexer handler as Lambda runs it, on s3rver: two shards, one of which
 * loses every manifest race to a rival writer. Its messages come back as batch
 * item failures while the other shard commits; redelivered, they commit once.
 * The index is the embedder's own, under index/<embedder key>/.
 */
const shards = 2;
const dimension = 16;
const embedder = { name: 'test-embedder', version: '1', dimension };

/** Item ids (32 hex) spread over both shards: the shard is the first 32 bits modulo the shard count. */
const itemIds = Array.from({ length: 12 }, (_, index) => index.toString(16).padStart(8, '0') + 'a'.repeat(24));
const inShard = (shard: string) => itemIds.filter((itemId) => shardOfItem(itemId, shards) === shard);

describe('indexer handler', () => {
  let backend: EmulatedBackend;
  let storage: S3IndexStorage;
  const vectors = clusteredVectors({
    count: itemIds.length + pipelineConfig.vq.storage.commitAttempts,
    dimension,
    clusters: 3,
    seed: 11,
  }).vectors;
  const records = itemIds.map((itemId, index) => indexUpdateRecord({ op: 'upsert', itemId }, `message-${index}`));
  const handlerDeps = (indexStorage: IndexStorage): IndexerHandlerDeps => ({
    store: backend.store,
    storage: indexStorage,
    shards,
    embedder,
    logger: new Logger({ serviceName: 'indexer', logLevel: 'SILENT' }),
  });
  /** The embedder's index, as the handler writes it. */
  const ownIndex = () => scopedIndexStorage(storage, embedderKey(embedder));
  const liveItems = async (shard: string) => (await loadIndexShard(ownIndex(), shard))?.manifest.liveItems;

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    storage = new S3IndexStorage(backend.s3, backend.resources.mediaBucket, 'emulated');
    for (const [index, itemId] of itemIds.entries()) {
      await backend.store.put(itemKeys.embedding(itemId, embedderKey(embedder)), encodeEmbedding(vectors[index]!), {
        contentType: 'application/octet-stream',
      });
    }
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('reports only the messages of a shard that lost every race; the other shard commits', async () => {
    expect(inShard('s0').length).toBeGreaterThan(0);
    expect(inShard('s1').length).toBeGreaterThan(0);
    // Just before each of s0's manifest writes, a rival writer commits to s0 first.
    const rival = new IndexShardWriter(ownIndex(), { shard: 's0', config: { ...pipelineConfig.vq.index, dimension }, embedder });
    let rivalCommits = 0;
    const racedStorage: IndexStorage = {
      get: (key) => storage.get(key),
      getIfChanged: (key, etag) => storage.getIfChanged(key, etag),
      getRange: (key, start, end) => storage.getRange(key, start, end),
      delete: (keys) => storage.delete(keys),
      async put(key, bytes, contentType, condition) {
        if (key === indexKeys.manifest('s0').replace(pipelineConfig.vq.prefix, `${pipelineConfig.vq.prefix}${embedderKey(embedder)}/`)) {
          await rival.apply([{ op: 'upsert', id: `rival-${rivalCommits}`, vector: vectors[itemIds.length + rivalCommits]! }]);
          rivalCommits += 1;
        }
        return storage.put(key, bytes, contentType, condition);
      },
    };
    const response = await createIndexerHandler(handlerDeps(racedStorage))(sqsEvent(...records), testContext('indexer'));

    expect(rivalCommits).toBe(pipelineConfig.vq.storage.commitAttempts);
    const failedIds = response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();
    expect(failedIds).toEqual(
      records
        .filter((_record, index) => shardOfItem(itemIds[index]!, shards) === 's0')
        .map((record) => record.messageId)
        .sort(),
    );
    expect(await liveItems('s1')).toBe(inShard('s1').length);
    // s0 holds the rival's items only: none of the failed updates was half-applied.
    expect(await liveItems('s0')).toBe(rivalCommits);
  });

  it('commits the failed messages once when they come back, and a repeat of the whole batch changes nothing', async () => {
    const handler = createIndexerHandler(handlerDeps(storage));
    const failed = records.filter((_, index) => shardOfItem(itemIds[index]!, shards) === 's0');
    expect((await handler(sqsEvent(...failed), testContext('indexer'))).batchItemFailures).toEqual([]);
    const rivals = pipelineConfig.vq.storage.commitAttempts;
    expect(await liveItems('s0')).toBe(inShard('s0').length + rivals);

    const generations = async () =>
      Promise.all(['s0', 's1'].map(async (shard) => (await loadIndexShard(ownIndex(), shard))?.manifest.generation));
    const before = await generations();
    // A new instance (cold writer cache) receives everything again.
    const again = await createIndexerHandler(handlerDeps(storage))(sqsEvent(...records), testContext('indexer'));
    expect(again.batchItemFailures).toEqual([]);
    expect(await generations()).toEqual(before);
    expect(await liveItems('s0')).toBe(inShard('s0').length + rivals);
    expect(await liveItems('s1')).toBe(inShard('s1').length);
  });

  it('drops a message it cannot parse without failing its batch-mates', async () => {
    const garbage = { ...indexUpdateRecord({ op: 'upsert', itemId: itemIds[0]! }, 'garbage'), body: '{"type":"something-else"}' };
    const deleteFirst = indexUpdateRecord({ op: 'delete', itemId: inShard('s1')[0]! }, 'delete-1');
    const response = await createIndexerHandler(handlerDeps(storage))(sqsEvent(garbage, deleteFirst), testContext('indexer'));
    expect(response.batchItemFailures).toEqual([]);
    expect(await liveItems('s1')).toBe(inShard('s1').length - 1);
  });

  // Items with no stored embedding: an upsert that read S3 would be applied as a delete.
  const unstoredIds = Array.from({ length: 40 }, (_, index) => `${(index * 2 + 1).toString(16).padStart(8, '0')}${'b'.repeat(24)}`);
  const unstoredVectors = clusteredVectors({ count: unstoredIds.length, dimension, clusters: 3, seed: 12 }).vectors;
  const carrying = (key: string, count: number) =>
    unstoredIds.slice(0, count).map((itemId, index) => ({
      op: 'upsert' as const,
      itemId,
      vector: { embedderKey: key, values: unstoredVectors[index]! },
    }));

  it('commits the many updates of one message at once, using the vectors they carry', async () => {
    const shard = shardOfItem(unstoredIds[0]!, shards);
    const updates = carrying(embedderKey(embedder), unstoredIds.length).filter(({ itemId }) => shardOfItem(itemId, shards) === shard);
    expect(updates.length).toBeGreaterThan(10);
    const before = (await loadIndexShard(ownIndex(), shard))!.manifest;
    const response = await createIndexerHandler(handlerDeps(storage))(
      sqsEvent(indexUpdateRecord(updates, 'carrying')),
      testContext('indexer'),
    );
    expect(response.batchItemFailures).toEqual([]);
    const after = (await loadIndexShard(ownIndex(), shard))!;
    expect(after.manifest.generation).toBe(before.generation + 1);
    expect(after.manifest.liveItems).toBe(before.liveItems + updates.length);
    for (const { itemId } of updates) expect(after.index.has(itemId)).toBe(true);
  });

  it('does not take a carried vector of another embedder or dimension: it reads the stored one', async () => {
    const [foreign, wrongSize] = [
      { op: 'upsert' as const, itemId: itemIds[1]!, vector: { embedderKey: 'another-model-1', values: unstoredVectors[0]! } },
      {
        op: 'upsert' as const,
        itemId: itemIds[2]!,
        vector: { embedderKey: embedderKey(embedder), values: new Float32Array(dimension + 1) },
      },
    ];
    const response = await createIndexerHandler(handlerDeps(storage))(
      sqsEvent(indexUpdateRecord([foreign, wrongSize], 'foreign')),
      testContext('indexer'),
    );
    expect(response.batchItemFailures).toEqual([]);
    for (const [update, stored] of [
      [foreign, vectors[1]!],
      [wrongSize, vectors[2]!],
    ] as const) {
      const loaded = await loadIndexShard(ownIndex(), shardOfItem(update.itemId, shards));
      expect(loaded!.index.search(stored, { k: 1 })[0]).toMatchObject({ id: update.itemId });
    }
  });

  it('on four shards: one batch spanning every shard commits each shard once, and a query fanned out over them finds every item', async () => {
    const fourShards = 4;
    const ownEmbedder = { name: 'four-shard-embedder', version: '1', dimension };
    const ids = Array.from({ length: 64 }, (_, index) => `${((index * 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}${'c'.repeat(24)}`);
    const items = clusteredVectors({ count: ids.length, dimension, clusters: 4, seed: 21 }).vectors;
    const updates = ids.map((itemId, index) => ({
      op: 'upsert' as const,
      itemId,
      vector: { embedderKey: embedderKey(ownEmbedder), values: items[index]! },
    }));
    // As the queue adapter sends them: each shard's updates packed in messages of their own (its FIFO group).
    const byShard = groupByShard(updates, ({ itemId }) => itemId, fourShards);
    expect([...byShard.keys()].sort()).toEqual(['s0', 's1', 's2', 's3']);
    const records = [...byShard].map(([shard, shardUpdates]) => indexUpdateRecord(shardUpdates, `four-${shard}`));
    const handler = createIndexerHandler({ ...handlerDeps(storage), shards: fourShards, embedder: ownEmbedder });
    expect((await handler(sqsEvent(...records), testContext('indexer'))).batchItemFailures).toEqual([]);
    const index = scopedIndexStorage(storage, embedderKey(ownEmbedder));
    for (const [shard, shardUpdates] of byShard) {
      expect((await loadIndexShard(index, shard))!.manifest).toMatchObject({ generation: 1, liveItems: shardUpdates.length });
    }
    const query = new SimilarityIndex(index, { shards: fourShards, refreshMs: 0, nprobe: 10_000, listCacheBytes: 2 ** 24 });
    for (const [i, itemId] of ids.entries()) expect((await query.search(items[i]!, 1))[0]?.id).toBe(itemId);
  });
});
