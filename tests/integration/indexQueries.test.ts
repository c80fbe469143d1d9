import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import type { S3IndexStorage } from '../../functions/adapters/store/index.js';
import {
  IndexShardWriter,
  loadIndexShard,
  indexKeys,
  ListCache,
  parseStoredManifest,
  resolveSearchParams,
  shardOfItem,
  ShardSearcher,
  storedBlobs,
  blobName,
  type BlobRef,
  type CachedList,
  type ListRef,
  type StorageLimits,
  type IndexStorage,
} from '../../functions/domain/vq/index.js';
import { SimilarityIndex } from '../../functions/stages/retrieval/index.js';
import { describeEachIndexBackend, recordingStorage, testEmbedder, testIndexConfig, testIndexDimension } from '../helpers/indexBackends.js';
import { bruteForce, clusteredVectors } from '../helpers/vectorSets.js';

const dimension = testIndexDimension;
const config = testIndexConfig;
const embedder = testEmbedder;

interface FixtureAnswers {
  liveItems: number;
  searches: { query: number[]; top: string[] }[];
}

/** Hex ids, as item ids are, so they hash to shards. */
const hexId = (i: number) => (Math.imul(i + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0') + String(i).padStart(24, '0');

/** How recordingStorage records a read of [start, end) of a blob. */
const rangeRead = (ref: { key: string; offset?: number }, start: number, end: number) =>
  `getRange ${ref.key} ${(ref.offset ?? 0) + start}-${(ref.offset ?? 0) + end}`;

/** Whether a recorded range read lies within a blob's vectors (after its scan part). */
function insideVectors(call: string, ref: BlobRef): boolean {
  const [, key, range] = call.split(' ');
  const [start, end] = range!.split('-').map(Number);
  const offset = ref.offset ?? 0;
  // The list's sum (dimension float64s) sits between the scan part and the vectors.
  const vectors = offset + ref.scanBytes + dimension * 8;
  return key === ref.key && start! >= vectors && end! <= vectors + ref.count * dimension * 4;
}

function searcher(storage: IndexStorage, options: { cacheBytes?: number; now?: () => number; shard?: string } = {}) {
  const cache = new ListCache<CachedList>(options.cacheBytes ?? 64 * 1024 * 1024);
  return {
    cache,
    shard: new ShardSearcher(storage, {
      shard: options.shard ?? 'main',
      refreshMs: 1000,
      cache,
      fetchConcurrency: 8,
      now: options.now ?? (() => 0),
    }),
  };
}

describeEachIndexBackend('index queries', (started) => {
  async function builtShard(
    count: number,
    seed: number,
  ): Promise<{ storage: S3IndexStorage; writer: IndexShardWriter; vectors: Float32Array[] }> {
    const storage = await started.freshStorage();
    const writer = new IndexShardWriter(storage, { shard: 'main', config, embedder });
    const { vectors } = clusteredVectors({ count, dimension, clusters: 10, seed });
    for (let start = 0; start < count; start += 200)
      await writer.apply(vectors.slice(start, start + 200).map((vector, i) => ({ op: 'upsert' as const, id: `v-${start + i}`, vector })));
    return { storage, writer, vectors };
  }

  it('a query reads the manifest, the codebook pages once, and only the lists it probes; a warm repeat reads nothing', async () => {
    const { storage, writer, vectors } = await builtShard(1200, 1);
    const { storage: recorded, calls } = recordingStorage(storage);
    let now = 0;
    const { shard } = searcher(recorded, { now: () => now });
    const params = resolveSearchParams({ k: 10, nprobe: 3, rerank: 20 });
    const query = vectors[5]!;
    const hits = await shard.search(query, params);
    expect(hits[0]?.id).toBe('v-5');
    const { manifest, lists } = { ...writer.current!, manifest: writer.current!.manifest! };
    const probed = writer.current!.index.probedLists(query, 3).lists.flatMap((list) => storedBlobs(lists[list]!));
    // Six commits of 200: some probed lists are a base and deltas, each scanned.
    expect(probed.length).toBeGreaterThanOrEqual(3);
    expect(calls[0]).toBe(`get ${indexKeys.manifest('main')}`);
    expect(calls.filter((call) => !call.startsWith('getRange ')).length).toBe(1);
    const ranged = calls.filter((call) => call.startsWith('getRange '));
    const pageReads = manifest.pages.map((ref) => rangeRead(ref, 0, ref.bytes));
    const scanReads = probed.map((ref) => rangeRead(ref, 0, ref.scanBytes));
    expect(ranged.filter((call) => pageReads.includes(call)).sort()).toEqual(pageReads.sort());
    expect(ranged.filter((call) => scanReads.includes(call)).sort()).toEqual(scanReads.sort());
    // The rest are the re-rank candidates' vectors (nearby ones in one read), each inside a probed blob's vectors.
    const vectorReads = ranged.filter((call) => !pageReads.includes(call) && !scanReads.includes(call));
    expect(vectorReads.length).toBeGreaterThan(0);
    expect(vectorReads.length).toBeLessThanOrEqual(params.rerank);
    for (const call of vectorReads) expect(probed.some((ref) => insideVectors(call, ref))).toBe(true);

    calls.length = 0;
    expect(await shard.search(query, params)).toEqual(hits);
    expect(calls).toEqual([]);
    now += 1000;
    expect(await shard.search(query, params)).toEqual(hits);
    expect(calls).toEqual([`getIfChanged ${indexKeys.manifest('main')}`]);
  });

  it('a commit writes one pack holding only the lists of its batch and their pages; a cached reader re-fetches only those', async () => {
    const { storage, writer } = await builtShard(1200, 2);
    const before = { ...writer.current!, manifest: writer.current!.manifest! };
    const { storage: recordedWriter, calls: writes } = recordingStorage(storage);
    const oneMore = clusteredVectors({ count: 1, dimension, clusters: 1, seed: 99 }).vectors[0]!;
    // Compaction off: this commit's pack must hold the batch's lists and nothing else (compaction is tested below).
    const limits: Partial<StorageLimits> = { compaction: { maxStoredOverLive: 1, liveFractionBelow: 0, bytesPerCommit: 0 } };
    const coldWriter = new IndexShardWriter(recordedWriter, { shard: 'main', config, embedder, limits });
    const result = await coldWriter.apply([{ op: 'upsert', id: 'new-one', vector: oneMore }]);
    const after = { ...coldWriter.current!, manifest: coldWriter.current!.manifest! };
    const puts = writes.filter((call) => call.startsWith('put '));
    expect(puts).toHaveLength(2);
    expect(puts[1]).toBe(`put ${indexKeys.manifest('main')}`);
    expect(result.objectsWritten).toBe(2);
    const pack = puts[0]!.slice('put '.length);
    expect(pack).toContain('/packs/');
    const replaced = after.lists.map((_, list) => list).filter((list) => !isDeepStrictEqual(after.lists[list], before.lists[list]));
    // Its list, and any a codebook update moved items between: a few of the many.
    expect(replaced).toContain(after.index.probedLists(oneMore, 1).lists[0]);
    expect(replaced.length).toBeLessThan(before.lists.length / 4);
    const inPack = (ref: { key: string }) => ref.key === pack;
    // The pack holds blobs of replaced lists only (a replaced list may hold none: emptied, or back to its base alone).
    const packed = after.lists.map((_, list) => list).filter((list) => storedBlobs(after.lists[list]!).some(inPack));
    expect(packed.length).toBeGreaterThanOrEqual(1);
    expect(replaced).toEqual(expect.arrayContaining(packed));
    const changedPages = after.manifest.pages.filter((ref, page) => !isDeepStrictEqual(ref, before.manifest.pages[page]));
    const perPage = after.manifest.listsPerPage;
    expect(changedPages.map((ref) => ref.firstList)).toEqual([...new Set(replaced.map((list) => Math.floor(list / perPage) * perPage))]);
    expect(after.manifest.pages.filter(inPack)).toEqual(changedPages);

    // A reader with the probed lists cached: after the next commit it fetches the replaced pages and lists only.
    const { storage: recordedReader, calls } = recordingStorage(storage);
    let now = 0;
    const { shard, cache } = searcher(recordedReader, { now: () => now });
    const params = resolveSearchParams({ k: 5, nprobe: 4, rerank: 10 });
    expect((await shard.search(oneMore, params))[0]?.id).toBe('new-one');
    const scanned = (ref: ListRef) => storedBlobs(ref).map((blob) => rangeRead(blob, 0, blob.scanBytes));
    const cachedBefore = after.lists.flatMap(storedBlobs).filter((blob) => calls.includes(rangeRead(blob, 0, blob.scanBytes)));
    expect(cachedBefore.length).toBeGreaterThanOrEqual(4);
    calls.length = 0;
    const deleted = await coldWriter.apply([{ op: 'delete', id: 'new-one' }]);
    now += 1000;
    expect((await shard.search(oneMore, params)).map((hit) => hit.id)).not.toContain('new-one');
    const latest = { ...coldWriter.current!, manifest: coldWriter.current!.manifest! };
    const newPages = deleted.manifest!.pages.filter((ref, page) => !isDeepStrictEqual(ref, after.manifest.pages[page]));
    const pageReads = latest.manifest.pages.map((ref) => rangeRead(ref, 0, ref.bytes));
    expect(calls.filter((call) => pageReads.includes(call)).sort()).toEqual(newPages.map((ref) => rangeRead(ref, 0, ref.bytes)).sort());
    // The manifest change dropped exactly the replaced blobs from the cache; the others' codes were not read again.
    const named = new Set(latest.lists.flatMap(storedBlobs).map(blobName));
    for (const blob of cachedBefore) expect(cache.get(blobName(blob)) !== undefined).toBe(named.has(blobName(blob)));
    const stillNamed = cachedBefore.filter((blob) => named.has(blobName(blob)));
    expect(stillNamed.length).toBeGreaterThan(0);
    for (const blob of stillNamed) expect(calls.filter((call) => call.startsWith(`getRange ${blob.key} ${blob.offset ?? 0}-`))).toEqual([]);
    expect(calls.filter((call) => latest.lists.some((ref) => scanned(ref).includes(call))).length).toBeGreaterThan(0);
  });

  it('a refresh that meets a page a newer commit already removed reads the manifest again and answers', async () => {
    // The race a busy writer makes: the manifest read names a pack that the next commit's compaction deletes before
    // the page is read. Provoked here by making the new pack look gone once.
    const { storage, writer } = await builtShard(800, 7);
    let goneOnce: string | undefined;
    const racing: IndexStorage = {
      get: (key) => storage.get(key),
      getIfChanged: (key, etag) => storage.getIfChanged(key, etag),
      getRange: (key, start, end) => {
        if (key !== goneOnce) return storage.getRange(key, start, end);
        goneOnce = undefined;
        return Promise.resolve(undefined);
      },
      put: (key, bytes, contentType, condition) => storage.put(key, bytes, contentType, condition),
      delete: (keys) => storage.delete(keys),
    };
    let now = 0;
    const { shard } = searcher(racing, { now: () => now });
    const params = resolveSearchParams({ k: 5, nprobe: 4, rerank: 10 });
    const oneMore = clusteredVectors({ count: 1, dimension, clusters: 1, seed: 98 }).vectors[0]!;
    expect((await shard.search(oneMore, params)).map((hit) => hit.id)).not.toContain('new-one');
    const before = writer.current!.manifest!.pages.map((ref) => ref.key);
    const { manifest } = await writer.apply([{ op: 'upsert', id: 'new-one', vector: oneMore }]);
    goneOnce = manifest!.pages.find((ref) => !before.includes(ref.key))!.key;
    now += 1000;
    expect((await shard.search(oneMore, params))[0]?.id).toBe('new-one');
    expect(goneOnce).toBeUndefined();
  });

  it('overlapping searches on a new reader share one manifest read and answer as one at a time', async () => {
    const { storage } = await builtShard(800, 6);
    const { storage: recorded, calls } = recordingStorage(storage);
    const { shard } = searcher(recorded);
    const params = resolveSearchParams({ k: 5, nprobe: 4, rerank: 20 });
    const queries = clusteredVectors({ count: 8, dimension, clusters: 10, seed: 60 }).vectors;
    const together = await Promise.all(queries.map((query) => shard.search(query, params)));
    expect(calls.filter((call) => call === `get ${indexKeys.manifest('main')}`)).toHaveLength(1);
    const { shard: serial } = searcher(storage);
    for (const [q, query] of queries.entries()) expect(together[q]).toEqual(await serial.search(query, params));
  });

  it('quantised scan + re-rank finds the exact top-k of float32 brute force when every list is probed', async () => {
    const { storage, vectors } = await builtShard(600, 3);
    const { shard } = searcher(storage);
    const live = new Map(vectors.map((vector, i) => [`v-${i}`, vector] as const));
    const params = resolveSearchParams({ k: 10, nprobe: 10_000, rerank: 100 });
    for (const query of clusteredVectors({ count: 12, dimension, clusters: 10, seed: 30 }).vectors) {
      expect((await shard.search(query, params)).map((hit) => hit.id)).toEqual(bruteForce(live, query, 10));
    }
  });

  it('the list cache stays within its byte bound over many queries and still answers correctly', async () => {
    const { storage, writer } = await builtShard(1200, 4);
    const listScanBytes = writer.current!.lists.reduce((max, ref) => Math.max(max, ref.scanBytes), 0);
    const bound = 4 * listScanBytes;
    const { shard, cache } = searcher(storage, { cacheBytes: bound });
    const params = resolveSearchParams({ k: 5, nprobe: 3, rerank: 10 });
    const reference = writer.current!.index;
    for (const query of clusteredVectors({ count: 30, dimension, clusters: 10, seed: 31 }).vectors) {
      const hits = await shard.search(query, params);
      expect(cache.bytes).toBeLessThanOrEqual(bound);
      expect(hits.map((hit) => hit.id)).toEqual(reference.search(query, params).map((hit) => hit.id));
    }
    expect(cache.size).toBeGreaterThan(0);
  });

  it('a query over 4 shards equals a single-shard query over the same items', async () => {
    const storage = await started.freshStorage();
    const { vectors } = clusteredVectors({ count: 800, dimension, clusters: 8, seed: 5 });
    const ids = vectors.map((_, i) => hexId(i));
    const single = new IndexShardWriter(storage, { shard: 's0', config, embedder });
    await single.apply(vectors.map((vector, i) => ({ op: 'upsert' as const, id: ids[i]!, vector })));
    const shardedStorage = await started.freshStorage();
    const byShard = new Map<string, number[]>();
    ids.forEach((id, i) => byShard.set(shardOfItem(id, 4), [...(byShard.get(shardOfItem(id, 4)) ?? []), i]));
    expect(byShard.size).toBe(4);
    for (const [shard, members] of byShard) {
      await new IndexShardWriter(shardedStorage, { shard, config, embedder }).apply(
        members.map((i) => ({ op: 'upsert' as const, id: ids[i]!, vector: vectors[i]! })),
      );
    }
    const options = { refreshMs: 0, nprobe: 10_000, listCacheBytes: 16 * 1024 * 1024 };
    const one = new SimilarityIndex(storage, { ...options, shards: 1 });
    const four = new SimilarityIndex(shardedStorage, { ...options, shards: 4 });
    for (const query of clusteredVectors({ count: 8, dimension, clusters: 8, seed: 50 }).vectors) {
      const expected = await one.search(query, 10);
      expect(expected).toHaveLength(10);
      expect(await four.search(query, 10)).toEqual(expected);
    }
  });

  async function storedFixture(schema: 1 | 2 | 3): Promise<{ storage: S3IndexStorage; expected: FixtureAnswers }> {
    const fixture = new URL(`../fixtures/index-schema-${schema}/`, import.meta.url).pathname;
    const storage = await started.freshStorage();
    const files = await readdir(join(fixture, 'index'), { recursive: true, withFileTypes: true });
    for (const file of files.filter((entry) => entry.isFile())) {
      const path = join(file.parentPath, file.name);
      await storage.put(relative(fixture, path), await readFile(path), 'application/octet-stream');
    }
    return { storage, expected: JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as FixtureAnswers };
  }
  const fixtureWriter = (storage: IndexStorage) =>
    new IndexShardWriter(storage, {
      shard: 's0',
      config: { dimension: 8 },
      embedder: { name: 'fixture-embedder', version: '1', dimension: 8 },
    });
  const exhaustive = resolveSearchParams({ k: 5, nprobe: 10_000, rerank: 200 });
  const onlyPacksLeft = async (storage: S3IndexStorage) =>
    (await started.listKeys(storage)).filter((key) => !key.includes('/packs/') && !key.endsWith('manifest.json'));

  it('a schema-1 shard is searched as it was, and its writer migrates it at the next commit, leaving no old object', async () => {
    const { storage, expected } = await storedFixture(1);
    const { shard: legacyReader } = searcher(storage, { shard: 's0' });
    for (const { query, top } of expected.searches)
      expect((await legacyReader.search(Float32Array.from(query), exhaustive)).map((hit) => hit.id)).toEqual(top);

    const migrated = await fixtureWriter(storage).apply([]);
    expect(migrated).toMatchObject({ changed: true, generation: 3 });
    const stored = parseStoredManifest('m', (await storage.get(indexKeys.manifest('s0')))!.bytes);
    expect(stored.schemaVersion).toBe(4);
    expect(migrated.manifest?.liveItems).toBe(expected.liveItems);
    expect(await onlyPacksLeft(storage)).toEqual([]);
    const { shard } = searcher(storage, { shard: 's0' });
    for (const { query, top } of expected.searches)
      expect((await shard.search(Float32Array.from(query), exhaustive)).map((hit) => hit.id)).toEqual(top);
  });

  it.each([
    [2, 'an object per page and list'],
    [3, 'packs, one delta per list, no list sums'],
  ] as const)('a schema-%i shard (%s) is searched as it is, and its next commit moves it whole into schema 4', async (schema, _layout) => {
    const { storage, expected } = await storedFixture(schema);
    expect(parseStoredManifest('m', (await storage.get(indexKeys.manifest('s0')))!.bytes).schemaVersion).toBe(schema);
    const { shard: oldReader } = searcher(storage, { shard: 's0' });
    for (const { query, top } of expected.searches)
      expect((await oldReader.search(Float32Array.from(query), exhaustive)).map((hit) => hit.id)).toEqual(top);

    const moved = await fixtureWriter(storage).apply([
      { op: 'upsert', id: 'item-new', vector: Float32Array.from(expected.searches[0]!.query) },
    ]);
    expect(moved).toMatchObject({ changed: true, generation: 4 - (schema === 2 ? 1 : 0), objectsWritten: 2 });
    expect(moved.manifest).toMatchObject({ schemaVersion: 4, liveItems: expected.liveItems + 1 });
    expect(await onlyPacksLeft(storage)).toEqual([]);
    // Every list is whole again in one pack (no delta), so a writer can open the shard from ids and sums alone.
    const loaded = (await loadIndexShard(storage, 's0'))!;
    expect(loaded.lists.every((ref) => (ref.deltas ?? []).length === 0)).toBe(true);
    const { shard } = searcher(storage, { shard: 's0' });
    for (const { query } of expected.searches) {
      const answer = loaded.index.search(Float32Array.from(query), exhaustive).map((hit) => hit.id);
      expect((await shard.search(Float32Array.from(query), exhaustive)).map((hit) => hit.id)).toEqual(answer);
    }
    expect((await shard.search(Float32Array.from(expected.searches[0]!.query), exhaustive))[0]?.id).toBe('item-new');
    // The old items answer as they did (the new one aside).
    for (const { query, top } of expected.searches) {
      const old = (await shard.search(Float32Array.from(query), exhaustive)).map((hit) => hit.id).filter((id) => id !== 'item-new');
      expect(old).toEqual(top.slice(0, old.length));
    }
    const cold = await fixtureWriter(storage).apply([{ op: 'delete', id: 'item-new' }]);
    expect(cold).toMatchObject({ changed: true, manifest: { schemaVersion: 4, liveItems: expected.liveItems } });
  });
});
