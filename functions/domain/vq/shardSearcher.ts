import pLimit from 'p-limit';
import { readFloat32s } from './binaryIo.js';
import { legacyManifestSchemaVersion } from './constants.js';
import { InvalidVqParameterError } from './errors.js';
import { indexKeys } from './indexKeys.js';
import { parseStoredManifest, type IndexManifest } from './indexManifest.js';
import { readBlobRange, readBlobScanPart, readPage, StaleManifestError } from './blobReads.js';
import { loadIndexShard, type LoadedIndex } from './indexShardReader.js';
import type { IndexStorage } from './indexStorage.js';
import { BlockScorer } from './blockScorer.js';
import type { ListCache } from './listCache.js';
import {
  blobName,
  decodeListScanPart,
  liveCount,
  storedBlobs,
  vectorRange,
  type BlobRef,
  type ListRef,
  type ListScanPart,
} from './listCodec.js';
import { codeCandidates, probeLists, rerankExact, type CodeLists } from './listScan.js';
import { maskedSlots } from './listParts.js';
import { Codebook } from './quantizer.js';
import { RowMirror } from './rowMirror.js';
import { codeBytesFor, codeDot } from './scalarCodes.js';
import type { SearchParams } from './searchParams.js';
import type { SearchHit } from './types.js';

/** A posting list's scan part as a query function caches it, with the re-rank vectors fetched for it so far. */
export interface CachedList {
  scan: ListScanPart;
  vectors: Map<number, Float32Array>;
  /** Unique per fetch: the SIMD copy of its codes is keyed by it. */
  serial: number;
}

export interface ShardSearcherOptions {
  shard: string;
  /** The manifest is checked at most this often (bounded staleness, cheap warm queries). */
  refreshMs: number;
  /** Shared by every shard of a query function: its memory bound. */
  cache: ListCache<CachedList>;
  fetchConcurrency: number;
  now: () => number;
}

let serials = 0;

/**
 * The query side of one shard, holding only the codebook: each search scores
 * the centroids, fetches the scan parts of the probed lists it does not have
 * (in parallel, one range read each), scans their codes, and fetches the
 * float32 vectors of its re-rank candidates by byte range. A list is its
 * base and the deltas written since, each a blob of its own. A changed manifest
 * costs the pages it replaced, and drops from the cache only the lists it
 * replaced. A shard still in the schema-1 layout is loaded whole and searched
 * in memory until its writer migrates it.
 */
export class ShardSearcher {
  private etag: string | undefined;
  private checkedAt = -Infinity;
  private manifest: IndexManifest | undefined;
  private pageKeys: string[] = [];
  private lists: ListRef[] = [];
  private codebook: Codebook | undefined;
  private legacy: LoadedIndex | undefined;
  private mirror: RowMirror | undefined;
  private rerankScorer: BlockScorer | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly storage: IndexStorage,
    private readonly options: ShardSearcherOptions,
  ) {}

  /** The manifest last read (undefined before the first search or for an empty shard). */
  get current(): IndexManifest | undefined {
    return this.manifest;
  }

  async search(query: Float32Array, params: SearchParams): Promise<SearchHit[]> {
    if (params.rerank < 1) throw new InvalidVqParameterError('rerank', 'at least 1 for a stored index (it scans codes)', params.rerank);
    let force = false;
    if (this.codebook && !this.legacy) {
      // The manifest check runs beside a search on the codebook held (one round trip, not two);
      // only when the manifest changed is the search repeated on the new one.
      const [changed, hits] = await Promise.all([
        this.refresh(false).catch((error: unknown) => error),
        this.searchOnce(query, params).catch((error: unknown) => error),
      ]);
      if (changed instanceof Error && !(changed instanceof StaleManifestError)) throw changed;
      if (changed === false && !(hits instanceof Error)) return hits as SearchHit[];
      if (changed === false && !(hits instanceof StaleManifestError)) throw hits;
      // A page the refresh read, or a list the search read, was gone: a newer commit replaced it. Read the manifest again.
      force = changed !== true;
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.refresh(force || attempt > 0);
        return await this.searchOnce(query, params);
      } catch (error) {
        // A commit replaced a list this search was about to read: read the new manifest and search again.
        if (!(error instanceof StaleManifestError) || attempt >= 2) throw error;
      }
    }
  }

  /**
   * True when the manifest changed (the codebook and lists now follow the new one). One refresh
   * at a time: searches that overlap share it, so pages are never applied twice.
   */
  private async refresh(force: boolean): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    if (!force && this.options.now() - this.checkedAt < this.options.refreshMs) return false;
    this.refreshing = this.readManifest().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async readManifest(): Promise<boolean> {
    const { storage, options } = this;
    const key = indexKeys.manifest(options.shard);
    const object = this.etag ? await storage.getIfChanged(key, this.etag) : await storage.get(key);
    this.checkedAt = options.now();
    if (object === 'unchanged') return false;
    if (!object) {
      const had = this.etag !== undefined;
      this.forget();
      return had;
    }
    const stored = parseStoredManifest(key, object.bytes);
    if (stored.schemaVersion === legacyManifestSchemaVersion) {
      this.forget();
      this.legacy = await loadIndexShard(storage, options.shard);
      this.etag = object.etag;
      return true;
    }
    this.legacy = undefined;
    const { dimension } = stored;
    if (!this.codebook || this.codebook.dimension !== dimension || this.codebook.k > stored.clusters) {
      this.forget();
      this.codebook = new Codebook(dimension, stored.clusters);
      this.mirror = RowMirror.forCodeRows(codeBytesFor(dimension));
      this.rerankScorer = new BlockScorer(dimension);
    }
    const codebook = this.codebook;
    const changed = stored.pages.map((_, page) => page).filter((page) => stored.pages[page]!.key !== this.pageKeys[page]);
    const fetched = await pLimit(options.fetchConcurrency).map(changed, (page) => readPage(storage, stored.pages[page]!));
    const lists = this.lists.slice(0, stored.clusters);
    for (const page of fetched) {
      page.lists.forEach((ref, row) => {
        const list = page.firstList + row;
        const replaced = lists[list];
        if (replaced) {
          const kept = new Set(storedBlobs(ref).map(blobName));
          for (const blob of storedBlobs(replaced)) if (!kept.has(blobName(blob))) options.cache.delete(blobName(blob));
        }
        lists[list] = ref;
        if (list < codebook.k) {
          codebook.set(list, page.centroids, row * dimension);
          codebook.changed(list);
        } else codebook.add(page.centroids, row * dimension);
      });
    }
    this.lists = lists;
    this.pageKeys = stored.pages.map((ref) => ref.key);
    this.manifest = stored;
    this.etag = object.etag;
    return true;
  }

  private forget(): void {
    this.manifest = undefined;
    this.legacy = undefined;
    this.etag = undefined;
    this.pageKeys = [];
    for (const ref of this.lists) for (const blob of storedBlobs(ref)) this.options.cache.delete(blobName(blob));
    this.lists = [];
    this.codebook = undefined;
  }

  private async searchOnce(query: Float32Array, params: SearchParams): Promise<SearchHit[]> {
    if (this.legacy) return this.legacy.index.search(query, params);
    const { codebook, lists, mirror, rerankScorer } = this;
    if (!codebook || !mirror || !rerankScorer || codebook.k === 0) return [];
    const probed = probeLists(codebook, { listSize: (list) => liveCount(lists[list]!) }, query, params.nprobe);
    // Each probed list is its base and the deltas written since: scanned as parts, later parts masking earlier entries.
    const byList = [...probed].map((list) => storedBlobs(lists[list]!));
    const blobs = byList.flat();
    const cached = await pLimit(this.options.fetchConcurrency).map(blobs, (ref) => this.scanOf(ref));
    // Item numbers of this search: part p's entries are base[p] .. base[p + 1) − 1.
    const base = new Int32Array(cached.length + 1);
    cached.forEach((entry, p) => (base[p + 1] = base[p]! + entry.scan.count));
    const masked = new Set<number>();
    let first = 0;
    for (const parts of byList) {
      maskedSlots(cached.slice(first, first + parts.length).map((entry) => entry.scan)).forEach((slots, i) => {
        for (const slot of slots) masked.add(base[first + i]! + slot);
      });
      first += parts.length;
    }
    const source: CodeLists = {
      dimension: codebook.dimension,
      listSize: (p) => cached[p]!.scan.count,
      listItems: (p) => Int32Array.from({ length: cached[p]!.scan.count }, (_, slot) => base[p]! + slot),
      scoreCodes: (p, quantized, dots) => {
        const { scan, serial } = cached[p]!;
        if (!mirror.score(p, serial, scan.codes, scan.count, quantized.values, dots)) {
          for (let i = 0; i < scan.count; i += 1) dots[i] = codeDot(quantized.values, scan.codes, i * scan.codeBytes, scan.codeBytes);
        }
        return scan.params;
      },
    };
    // Masked entries are skipped after the scan, so the scan keeps that many more.
    const candidates = codeCandidates(source, Array.from(cached.keys()), query, { ...params, rerank: params.rerank + masked.size }).filter(
      (item) => !masked.has(item),
    );
    const locate = (item: number) => {
      let p = 0;
      while (base[p + 1]! <= item) p += 1;
      return { p, slot: item - base[p]! };
    };
    const slotsByPart = new Map<number, number[]>();
    const located = candidates.map(locate);
    for (const { p, slot } of located) slotsByPart.set(p, [...(slotsByPart.get(p) ?? []), slot]);
    await pLimit(this.options.fetchConcurrency).map([...slotsByPart], ([p, slots]) => this.fetchVectors(blobs[p]!, cached[p]!, slots));
    const byItem = new Map(candidates.map((item, i) => [item, cached[located[i]!.p]!.vectors.get(located[i]!.slot)!]));
    return rerankExact(query, candidates, (item) => byItem.get(item)!, params.k, rerankScorer)
      .map(({ item, score }) => {
        const { p, slot } = locate(item);
        return { id: cached[p]!.scan.ids[slot]!, score };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async scanOf(ref: BlobRef): Promise<CachedList> {
    const name = blobName(ref);
    const hit = this.options.cache.get(name);
    if (hit) return hit;
    const bytes = await readBlobScanPart(this.storage, ref);
    serials += 1;
    const entry: CachedList = { scan: decodeListScanPart(ref.key, bytes), vectors: new Map(), serial: serials };
    this.options.cache.set(name, entry, cachedBytes(entry));
    return entry;
  }

  /** Fetches the vectors of these slots it lacks: one range read per run of nearby slots (a gap of a few vectors costs less than a request). */
  private async fetchVectors(ref: BlobRef, entry: CachedList, slots: number[]): Promise<void> {
    const missing = slots.filter((slot) => !entry.vectors.has(slot)).sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const slot of missing) {
      const last = runs.at(-1);
      if (last && slot - last[1] <= coalesceGapSlots) last[1] = slot;
      else runs.push([slot, slot]);
    }
    const { dimension } = entry.scan;
    await Promise.all(
      runs.map(async ([first, last]) => {
        const [start] = vectorRange(entry.scan, first);
        const [, end] = vectorRange(entry.scan, last);
        const bytes = await readBlobRange(this.storage, ref, start, end);
        for (let slot = first; slot <= last; slot += 1) {
          if (slots.includes(slot)) entry.vectors.set(slot, readFloat32s(bytes, (slot - first) * dimension * 4, dimension));
        }
      }),
    );
    if (missing.length > 0) this.options.cache.set(blobName(ref), entry, cachedBytes(entry));
  }
}

/** Slots apart that one range read still spans (8 × 1 KiB at 256-d, against a request's first-byte latency). */
const coalesceGapSlots = 8;

/** Bytes an entry holds: codes, parameters, ids (two bytes a character plus the string's overhead) and its vectors. */
function cachedBytes({ scan, vectors }: CachedList): number {
  let bytes = 256 + scan.codes.byteLength + scan.params.byteLength;
  for (const id of [...scan.ids, ...scan.masked]) bytes += 2 * id.length + 40;
  return bytes + vectors.size * (scan.dimension * 4 + 64);
}
