import { expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import type { S3IndexStorage } from '../../functions/adapters/store/index.js';
import {
  IndexShardWriter,
  indexKeys,
  liveCount,
  loadIndexShard,
  PreconditionFailedError,
  storedBlobs,
  type IndexOperation,
  type LoadedIndex,
  type IndexStorage,
} from '../../functions/domain/vq/index.js';
import { describeEachIndexBackend, recordingStorage, testEmbedder, testIndexConfig, testIndexDimension } from '../helpers/indexBackends.js';
import { bruteForce, clusteredVectors } from '../helpers/vectorSets.js';

const dimension = testIndexDimension;
const config = testIndexConfig;
const embedder = testEmbedder;
const upserts = (prefix: string, vectors: Float32Array[]): IndexOperation[] =>
  vectors.map((vector, i) => ({ op: 'upsert', id: `${prefix}-${i}`, vector }));

/** The manifest and the packs it names, sorted; checks that every page and list blob is in one of those packs. */
function storedObjectsOf({ manifest, lists }: LoadedIndex): string[] {
  const packs = (manifest.packs ?? []).map((ref) => ref.key);
  for (const blob of [...manifest.pages, ...lists.flatMap(storedBlobs)]) expect(packs).toContain(blob.key);
  return [indexKeys.manifest(manifest.shard), ...packs].sort();
}

describeEachIndexBackend('index persistence', (started) => {
  const freshStorage = () => started.freshStorage();
  const listKeys = (storage: S3IndexStorage) => started.listKeys(storage);

  it('round-trips: a reader loads what the writer committed and answers the same', async () => {
    const storage = await freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    const { vectors } = clusteredVectors({ count: 600, dimension, clusters: 8, seed: 1 });
    for (let batch = 0; batch < 3; batch += 1) {
      const result = await writer.apply(upserts(`b${batch}`, vectors.slice(batch * 200, (batch + 1) * 200)));
      expect(result).toMatchObject({ changed: true, generation: batch + 1, attempts: 1 });
    }
    const loaded = await loadIndexShard(storage, 'main');
    expect(loaded?.manifest).toMatchObject({ generation: 3, liveItems: 600, dimension, embedder });
    const written = writer.current!.index;
    expect([...loaded!.index.entries()]).toEqual([...written.entries()]);
    expect(loaded!.index.snapshotState()).toEqual(written.snapshotState());
    const query = clusteredVectors({ count: 1, dimension, clusters: 1, seed: 5 }).vectors[0]!;
    expect(loaded!.index.search(query, { k: 10, nprobe: 4 })).toEqual(written.search(query, { k: 10, nprobe: 4 }));
    // Only the manifest and the packs it names are stored (replaced objects are gone), and they hold every page and list.
    expect(await listKeys(storage)).toEqual(storedObjectsOf(loaded!));
  });

  it('a re-delivered batch changes nothing', async () => {
    const storage = await freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    const batch = upserts('x', clusteredVectors({ count: 50, dimension, clusters: 3, seed: 2 }).vectors);
    await writer.apply(batch);
    const manifestBefore = await storage.get(indexKeys.manifest('main'));
    // A cold writer (a new Lambda instance) gets the same message again.
    const again = await new IndexShardWriter(storage, { shard: 'main', config, embedder }).apply(batch);
    expect(again).toMatchObject({ changed: false, generation: 1 });
    expect((await storage.get(indexKeys.manifest('main')))?.etag).toBe(manifestBefore?.etag);
  });

  it("a delete masks the item in its list's deltas, folded once they grow: stored bytes follow the live items", async () => {
    const storage = await freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    const { vectors } = clusteredVectors({ count: 400, dimension, clusters: 6, seed: 4 });
    await writer.apply(upserts('d', vectors));
    const deletes: IndexOperation[] = vectors.map((_, i) => ({ op: 'delete' as const, id: `d-${i}` })).filter((_, i) => i % 2 === 0);
    const afterDelete = await writer.apply(deletes);
    expect(afterDelete.manifest?.liveItems).toBe(200);
    const loaded = await loadIndexShard(storage, 'main');
    const { entries, fractionOfBase } = pipelineConfig.vq.storage.foldWhenDeltaExceeds;
    // Every list holds its live entries plus at most the few dead ones its deltas mask (more would have folded it).
    for (const [list, ref] of loaded!.lists.entries()) {
      expect(liveCount(ref)).toBe(loaded!.index.listEntries(list).length);
      const masked = (ref.deltas ?? []).reduce((sum, delta) => sum + delta.masked, 0);
      expect(masked).toBeLessThanOrEqual(Math.max(entries, fractionOfBase * ref.count));
    }
    const storedBytes = loaded!.lists.flatMap(storedBlobs).reduce((sum, blob) => sum + blob.bytes, 0);
    const perItem = dimension * 4 + dimension + 8 + 8 + 2 + 'd-000'.length;
    const maskedAtMost = loaded!.lists.reduce((sum, ref) => sum + Math.max(entries, fractionOfBase * ref.count), 0);
    expect(storedBytes).toBeLessThan((200 + 2 * maskedAtMost) * perItem + 2 * 40 * loaded!.manifest.clusters);
    const live = new Map(vectors.map((v, i) => [`d-${i}`, v] as const).filter((_, i) => i % 2 === 1));
    for (const query of clusteredVectors({ count: 10, dimension, clusters: 6, seed: 40 }).vectors) {
      expect(loaded!.index.search(query, { k: 5, nprobe: 1000 }).map((hit) => hit.id)).toEqual(bruteForce(live, query, 5));
    }
  });

  it('under churn, deltas, folds and compaction keep the stored bytes near the live ones and the answers exact', async () => {
    const storage = await freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    const { vectors } = clusteredVectors({ count: 2000, dimension, clusters: 8, seed: 12 });
    const live = new Map<string, Float32Array>();
    let next = 0;
    const packBytes: number[] = [];
    for (let commit = 0; commit < 40; commit += 1) {
      const operations: IndexOperation[] = [];
      // Re-embed one, delete some, add some: upserts of new, re-upserts of old ids, deletes.
      for (const id of [...live.keys()].filter((_, i) => i % 7 === commit % 7).slice(0, 12)) {
        operations.push({ op: 'delete', id });
        live.delete(id);
      }
      const reembedded = [...live.keys()][commit];
      if (reembedded) {
        const vector = vectors[(next += 1) % vectors.length]!;
        operations.push({ op: 'upsert', id: reembedded, vector });
        live.set(reembedded, vector);
      }
      for (let i = 0; i < (commit === 0 ? 300 : 14); i += 1) {
        const id = `c-${next}`;
        const vector = vectors[(next += 1) % vectors.length]!;
        operations.push({ op: 'upsert', id, vector });
        live.set(id, vector);
      }
      const result = await writer.apply(operations);
      packBytes.push((result.manifest!.packs ?? []).reduce((sum, ref) => sum + ref.bytes, 0));
    }
    const loaded = (await loadIndexShard(storage, 'main'))!;
    expect(loaded.manifest.liveItems).toBe(live.size);
    expect(new Set([...loaded.index.entries()].map((entry) => entry.id))).toEqual(new Set(live.keys()));
    expect(await listKeys(storage)).toEqual(storedObjectsOf(loaded));
    const liveBytes = [...loaded.lists.flatMap(storedBlobs), ...loaded.manifest.pages].reduce((sum, blob) => sum + blob.bytes, 0);
    // A pack mostly dead is compacted, so what is stored stays within twice what the manifest names (plus padding).
    expect(packBytes.at(-1)!).toBeLessThanOrEqual(2 * liveBytes + 8 * loaded.manifest.pages.length * 64);
    for (const query of clusteredVectors({ count: 10, dimension, clusters: 8, seed: 41 }).vectors) {
      expect(loaded.index.search(query, { k: 5, nprobe: 1000 }).map((hit) => hit.id)).toEqual(bruteForce(live, query, 5));
    }
  });

  it('conditional writes: create-only and replace-if-unchanged', async () => {
    const storage = await freshStorage();
    const bytes = new TextEncoder().encode('one');
    const etag = await storage.put('index/t/object', bytes, 'text/plain', { ifNoneMatch: '*' });
    await expect(storage.put('index/t/object', bytes, 'text/plain', { ifNoneMatch: '*' })).rejects.toThrow(PreconditionFailedError);
    await expect(storage.put('index/t/object', bytes, 'text/plain', { ifMatch: '"0123456789abcdef0123456789abcdef"' })).rejects.toThrow(
      PreconditionFailedError,
    );
    const next = await storage.put('index/t/object', new TextEncoder().encode('two'), 'text/plain', { ifMatch: etag });
    expect(next).not.toBe(etag);
    expect(new TextDecoder().decode((await storage.get('index/t/object'))!.bytes)).toBe('two');
  });

  it('conditional reads: the current ETag gets 304 and no bytes; an older one gets the object', async () => {
    const storage = await freshStorage();
    const first = await storage.put('index/t/manifest', new TextEncoder().encode('one'), 'application/json');
    const second = await storage.put('index/t/manifest', new TextEncoder().encode('two'), 'application/json');
    expect(await storage.getIfChanged('index/t/manifest', second)).toBe('unchanged');
    const changed = await storage.getIfChanged('index/t/manifest', first);
    expect(changed).not.toBe('unchanged');
    expect(changed && changed !== 'unchanged' ? { text: new TextDecoder().decode(changed.bytes), etag: changed.etag } : changed).toEqual({
      text: 'two',
      etag: second,
    });
    expect(await storage.getIfChanged('index/t/missing', second)).toBeUndefined();
  });

  it('a cached reader re-checks an unchanged manifest with one conditional read and nothing else', async () => {
    const storage = await freshStorage();
    await new IndexShardWriter(storage, { shard: 'main', config, embedder }).apply(
      upserts('c', clusteredVectors({ count: 60, dimension, clusters: 3, seed: 8 }).vectors),
    );
    const reader = await loadIndexShard(storage, 'main');
    const { storage: countingStorage, calls: reads } = recordingStorage(storage);
    expect(await loadIndexShard(countingStorage, 'main', reader)).toBe(reader);
    expect(reads).toEqual([`getIfChanged ${indexKeys.manifest('main')}`]);
  });

  it('a writer that loses the manifest race reloads and re-applies; nothing is overwritten', async () => {
    const storage = await freshStorage();
    const { vectors } = clusteredVectors({ count: 300, dimension, clusters: 5, seed: 6 });
    await new IndexShardWriter(storage, { shard: 'main', config, embedder }).apply(upserts('base', vectors.slice(0, 100)));

    // Writer B has read generation 1; just before B writes its manifest, writer A commits generation 2.
    const writerA = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    let raced = false;
    const racingStorage: IndexStorage = {
      get: (key) => storage.get(key),
      getIfChanged: (key, etag) => storage.getIfChanged(key, etag),
      getRange: (key, start, end) => storage.getRange(key, start, end),
      delete: (keys) => storage.delete(keys),
      async put(key, bytes, contentType, condition) {
        if (!raced && key === indexKeys.manifest('main')) {
          raced = true;
          await writerA.apply(upserts('a', vectors.slice(100, 200)));
        }
        return storage.put(key, bytes, contentType, condition);
      },
    };
    const writerB = new IndexShardWriter(racingStorage, { shard: 'main', config, embedder });
    const result = await writerB.apply(upserts('b', vectors.slice(200, 300)));
    expect(raced).toBe(true);
    expect(result).toMatchObject({ changed: true, attempts: 2, generation: 3 });
    const loaded = await loadIndexShard(storage, 'main');
    expect(loaded?.manifest.liveItems).toBe(300);
    for (const id of ['base-0', 'a-0', 'b-0', 'a-99', 'b-99']) expect(loaded!.index.has(id)).toBe(true);
    // What B wrote for its lost attempt is gone: the bucket holds only what the manifest names.
    expect(await listKeys(storage)).toEqual(storedObjectsOf(loaded!));
  });
});
