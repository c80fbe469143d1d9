import { expect, it } from 'vitest';
import {
  IndexShardWriter,
  indexKeys,
  liveCount,
  loadIndexShard,
  storedBlobs,
  type IndexOperation,
  type IndexStorage,
  type ListRef,
  type StorageLimits,
} from '../../functions/domain/vq/index.js';
import { membersRange } from '../../functions/domain/vq/listCodec.js';
import { describeEachIndexBackend, recordingStorage, testEmbedder, testIndexConfig, testIndexDimension } from '../helpers/indexBackends.js';
import { clusteredVectors } from '../helpers/vectorSets.js';

const dimension = testIndexDimension;
const config = testIndexConfig;
const embedder = testEmbedder;

/** Twelve commits of churn: new items, re-embedded and deleted ones, as the indexer's batches bring them. */
function churn(): IndexOperation[][] {
  const { vectors } = clusteredVectors({ count: 1400, dimension, clusters: 9, seed: 31 });
  const batches: IndexOperation[][] = [];
  let next = 0;
  for (let commit = 0; commit < 12; commit += 1) {
    const batch: IndexOperation[] = [];
    for (let i = 0; i < (commit === 0 ? 400 : 80); i += 1) batch.push({ op: 'upsert', id: `w-${next}`, vector: vectors[next++]! });
    if (commit > 0) {
      batch.push({ op: 'delete', id: `w-${commit * 7}` });
      batch.push({ op: 'upsert', id: `w-${commit * 11}`, vector: vectors[1399 - commit]! });
      batch.push({ op: 'upsert', id: `w-${commit * 13}`, vector: vectors[commit * 13]! }); // re-delivered: unchanged
    }
    batches.push(batch);
  }
  return batches;
}

/** A list as stored, without where: what its blobs hold. */
const shapeOf = (ref: ListRef) => ({ count: ref.count, deltas: (ref.deltas ?? []).map(({ count, masked }) => ({ count, masked })) });

describeEachIndexBackend('the index writer without the shard in memory', (started) => {
  async function written(storage: IndexStorage, limits: Partial<StorageLimits>) {
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder, limits });
    for (const batch of churn()) await writer.apply(batch);
    return { writer, loaded: (await loadIndexShard(storage, 'main'))! };
  }

  it('a writer that keeps no list in memory between commits stores exactly what one holding the whole shard stores', async () => {
    const whole = await written(await started.freshStorage(), {});
    const lean = await written(await started.freshStorage(), { writerListBytes: 0 });
    expect(lean.loaded.manifest).toMatchObject({ schemaVersion: 4, generation: 12, liveItems: whole.loaded.manifest.liveItems });
    expect(lean.loaded.index.snapshotState()).toEqual(whole.loaded.index.snapshotState());
    expect([...lean.loaded.index.entries()]).toEqual([...whole.loaded.index.entries()]);
    expect(lean.loaded.lists.map(shapeOf)).toEqual(whole.loaded.lists.map(shapeOf));
    // The lean writer holds the codebook, sums and ids, not the entries: less than the whole one by at least their vectors.
    const leanIndex = lean.writer.current!.index;
    expect(
      lean.loaded.lists.filter((ref, list) => leanIndex.inMemoryCount(list) > 0 || (leanIndex.isWhole(list) && liveCount(ref) > 0)),
    ).toEqual([]);
    const vectorBytes = lean.loaded.manifest.liveItems * dimension * 4;
    expect(leanIndex.memoryBytes()).toBeLessThan(whole.writer.current!.index.memoryBytes() - vectorBytes);
  });

  it('a writer keeps the lists it holds whole within writerListBytes after every commit, and stores what any other stores', async () => {
    const whole = await written(await started.freshStorage(), {});
    const heldBytes = (writer: IndexShardWriter) => {
      const { index } = writer.current!;
      let bytes = 0;
      for (let list = 0; list < index.clusterCount; list += 1) if (index.isWhole(list)) bytes += index.listMemoryBytes(list);
      return bytes;
    };
    const budget = Math.round(heldBytes(whole.writer) / 3);
    const storage = await started.freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder, limits: { writerListBytes: budget } });
    for (const batch of churn()) {
      await writer.apply(batch);
      expect(heldBytes(writer)).toBeLessThanOrEqual(budget);
    }
    expect(heldBytes(writer)).toBeGreaterThan(budget / 2);
    const loaded = (await loadIndexShard(storage, 'main'))!;
    expect([...loaded.index.entries()]).toEqual([...whole.loaded.index.entries()]);
    expect(loaded.index.snapshotState()).toEqual(whole.loaded.index.snapshotState());
  });

  it('a cold writer opens a shard from each blob ids and its list sum, never its codes or vectors', async () => {
    const storage = await started.freshStorage();
    const { loaded } = await written(storage, {});
    const { storage: recorded, calls } = recordingStorage(storage);
    const cold = new IndexShardWriter(recorded, { shard: 'main', config, embedder });
    expect(await cold.apply([])).toMatchObject({ changed: false, generation: 12 });
    expect(cold.current!.index.size).toBe(loaded.manifest.liveItems);
    const pageReads = loaded.manifest.pages.map((ref) => `getRange ${ref.key} ${ref.offset ?? 0}-${(ref.offset ?? 0) + ref.bytes}`);
    const memberReads = loaded.lists.flatMap((ref) =>
      storedBlobs(ref).map((blob, b, blobs) => {
        const [start, end] = membersRange(blob, dimension, b === blobs.length - 1);
        return `getRange ${blob.key} ${(blob.offset ?? 0) + start}-${(blob.offset ?? 0) + end}`;
      }),
    );
    expect(calls.filter((call) => call !== `get ${indexKeys.manifest('main')}` && !call.startsWith('getIfChanged')).sort()).toEqual(
      [...pageReads, ...memberReads].sort(),
    );
    // Then an upsert of a stored item (a new vector) reads that item's list whole, and only the lists its commit needs.
    calls.length = 0;
    const moved = await cold.apply([
      { op: 'upsert', id: 'w-5', vector: clusteredVectors({ count: 1, dimension, clusters: 1, seed: 3 }).vectors[0]! },
    ]);
    expect(moved).toMatchObject({ changed: true, generation: 13 });
    const wholeReads = calls.filter((call) => call.startsWith('getRange ') && !memberReads.includes(call));
    expect(wholeReads.length).toBeGreaterThan(0);
    expect(wholeReads.length).toBeLessThan(loaded.lists.flatMap(storedBlobs).length / 2);
  });

  it('a read that fails after a batch began changing the index leaves nothing half-applied: the batch sent again commits as a clean run', async () => {
    const batches = churn();
    const clean = await written(await started.freshStorage(), { writerListBytes: 0 });
    const limits = { writerListBytes: 0 };
    // A writer on a copy of the state counts the reads batch 6 makes; the flaky run fails the last of them, which
    // comes after the batch's operations changed the index (a split's read, or a fold's or merge's at commit time).
    const counting = readCounting(await started.freshStorage());
    const counter = new IndexShardWriter(counting.storage, { shard: 'main', config, embedder, limits });
    for (const batch of batches.slice(0, 6)) await counter.apply(batch);
    const before = counting.reads();
    await counter.apply(batches[6]!);
    const readsOfBatch = counting.reads() - before;
    expect(readsOfBatch).toBeGreaterThan(1);

    const target = await started.freshStorage();
    const flaky = readCounting(target);
    const writer = new IndexShardWriter(flaky.storage, { shard: 'main', config, embedder, limits });
    for (const [b, batch] of batches.entries()) {
      if (b === 6) {
        flaky.failRead(flaky.reads() + readsOfBatch);
        await expect(writer.apply(batch)).rejects.toThrow('connection reset');
      }
      await writer.apply(batch);
    }
    const loaded = (await loadIndexShard(target, 'main'))!;
    expect(loaded.manifest.generation).toBe(12);
    expect(loaded.index.snapshotState()).toEqual(clean.loaded.index.snapshotState());
    expect([...loaded.index.entries()]).toEqual([...clean.loaded.index.entries()]);
  });
});

/** The storage, counting its range reads; failRead(n) makes the n-th one fail as a reset connection would. */
function readCounting(storage: IndexStorage) {
  let reads = 0;
  let failAt = -1;
  return {
    reads: () => reads,
    failRead: (n: number) => (failAt = n),
    storage: {
      get: (key: string) => storage.get(key),
      getIfChanged: (key: string, etag: string) => storage.getIfChanged(key, etag),
      delete: (keys: readonly string[]) => storage.delete(keys),
      put: (...args: Parameters<IndexStorage['put']>) => storage.put(...args),
      async getRange(key: string, start: number, end: number) {
        reads += 1;
        if (reads === failAt) throw new Error('connection reset');
        return storage.getRange(key, start, end);
      },
    } satisfies IndexStorage,
  };
}
