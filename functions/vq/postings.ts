import { scoreRows } from './dotProducts.js';
import { RowMirror } from './rowMirror.js';

/**
 * Inverted lists: for each centroid, the items assigned to it and their
 * vectors, stored contiguously so a probe scans one Float32Array.
 * The memory implementation is what search runs on; storage (segments in S3)
 * is loaded into it (see segmentCodec.ts and indexPersistence.ts).
 */
export interface Postings {
  readonly dimension: number;
  readonly listCount: number;
  listSize(list: number): number;
  /** Row-major vectors of the list; rows 0..listSize-1 are valid. Do not keep across writes. */
  listVectors(list: number): Float32Array;
  /** Item numbers of the list, parallel to its vectors. */
  listItems(list: number): Int32Array;
  /** out[i] = query · row i of the list, for its rows 0..listSize-1. */
  scoreList(list: number, query: Float32Array, out: Float32Array): void;
}

export interface MutablePostings extends Postings {
  /** Adds an empty list and returns its number. */
  addList(): number;
  /** Inserts an item with vector[offset..offset+dimension) at slot, shifting later entries up. */
  insertAt(list: number, slot: number, item: number, vector: Float32Array, offset?: number): void;
  /** Removes the entry at slot, shifting later entries down (order is kept). */
  removeAt(list: number, slot: number): void;
  /** Replaces a list's entries (rows of `vectors`, parallel to `items`). */
  replaceList(list: number, items: Int32Array, vectors: Float32Array): void;
}

interface List {
  size: number;
  items: Int32Array;
  vectors: Float32Array;
  /** Bumped on every write, so the SIMD copy knows when it is stale. */
  version: number;
}

/** Lists in memory, each kept in the order the caller inserts at (the index keeps insertion-sequence order). */
export class MemoryPostings implements MutablePostings {
  private readonly lists: List[] = [];
  private readonly mirror: RowMirror;

  constructor(readonly dimension: number) {
    this.mirror = new RowMirror(dimension);
  }

  get listCount(): number {
    return this.lists.length;
  }

  listSize(list: number): number {
    return this.lists[list]!.size;
  }

  listVectors(list: number): Float32Array {
    return this.lists[list]!.vectors;
  }

  listItems(list: number): Int32Array {
    return this.lists[list]!.items;
  }

  scoreList(list: number, query: Float32Array, out: Float32Array): void {
    const { size, vectors, version } = this.lists[list]!;
    if (!this.mirror.score(list, version, vectors, size, query, out)) scoreRows(query, vectors, size, this.dimension, out);
  }

  addList(): number {
    this.lists.push({ size: 0, items: new Int32Array(8), vectors: new Float32Array(8 * this.dimension), version: 0 });
    return this.lists.length - 1;
  }

  insertAt(list: number, slot: number, item: number, vector: Float32Array, offset = 0): void {
    const entry = this.lists[list]!;
    const { dimension } = this;
    if (entry.size === entry.items.length) this.grow(entry, entry.size * 2);
    if (slot < entry.size) {
      entry.items.copyWithin(slot + 1, slot, entry.size);
      entry.vectors.copyWithin((slot + 1) * dimension, slot * dimension, entry.size * dimension);
    }
    entry.items[slot] = item;
    entry.vectors.set(vector.subarray(offset, offset + dimension), slot * dimension);
    entry.size += 1;
    entry.version += 1;
  }

  removeAt(list: number, slot: number): void {
    const entry = this.lists[list]!;
    const { dimension } = this;
    entry.items.copyWithin(slot, slot + 1, entry.size);
    entry.vectors.copyWithin(slot * dimension, (slot + 1) * dimension, entry.size * dimension);
    entry.size -= 1;
    entry.version += 1;
  }

  replaceList(list: number, items: Int32Array, vectors: Float32Array): void {
    const entry = this.lists[list]!;
    if (items.length > entry.items.length) this.grow(entry, Math.max(items.length, entry.items.length * 2));
    entry.items.set(items);
    entry.vectors.set(vectors.subarray(0, items.length * this.dimension));
    entry.size = items.length;
    entry.version += 1;
  }

  private grow(entry: List, capacity: number): void {
    const items = new Int32Array(capacity);
    items.set(entry.items.subarray(0, entry.size));
    const vectors = new Float32Array(capacity * this.dimension);
    vectors.set(entry.vectors.subarray(0, entry.size * this.dimension));
    entry.items = items;
    entry.vectors = vectors;
  }
}
