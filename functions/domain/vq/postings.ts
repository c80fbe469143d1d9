import { scoreRows } from './dotProducts.js';
import { RowMirror } from './rowMirror.js';
import { codeBytesFor, codeDot, codeParamsPerRow, encodeScalarCode, type QuantizedQuery } from './scalarCodes.js';

/**
 * Inverted lists (after faiss InvertedLists): for each centroid, its items,
 * their float32 vectors (for the exact re-rank) and their scalar codes (for
 * the scan), each stored contiguously so a probe reads one array. Items are
 * dense numbers owned by the caller; a list's order is not meaningful (a
 * removal moves the last entry into the gap), callers that need an order sort
 * by what they know.
 */
export interface Postings {
  readonly dimension: number;
  readonly codeBytes: number;
  readonly listCount: number;
  listSize(list: number): number;
  /** Item numbers of the list; entries 0..listSize-1 are valid. Do not keep across writes. */
  listItems(list: number): Int32Array;
  /** The list of an item, or -1. */
  listOf(item: number): number;
  /** A view of an item's vector (valid until the next write). */
  vectorOf(item: number): Float32Array;
  /** out[i] = query · vector i of the list (float32, exact). */
  scoreExact(list: number, query: Float32Array, out: Float32Array): void;
  /** dots[i] = the integer code dot of entry i with the quantised query; params: low, step per entry. */
  scoreCodes(list: number, query: QuantizedQuery, dots: Int32Array): Float32Array;
}

/** Lists start with room for this many entries unless told otherwise. */
const minCapacity = 16;

interface List {
  size: number;
  items: Int32Array;
  vectors: Float32Array;
  codes: Uint8Array;
  /** low, step per entry. */
  params: Float32Array;
  /** Bumped on every write, so the SIMD copy knows when it is stale. */
  version: number;
}

/** Lists in memory. */
export class MemoryPostings implements Postings {
  readonly codeBytes: number;
  private readonly lists: List[] = [];
  private readonly codeMirror: RowMirror;
  /** Per item number: its list (-1: none) and slot there. */
  private itemList = new Int32Array(1024).fill(-1);
  private itemSlot = new Int32Array(1024);

  /** listCapacity: entries a new list has room for before it grows. */
  constructor(
    readonly dimension: number,
    private readonly listCapacity = minCapacity,
  ) {
    this.codeBytes = codeBytesFor(dimension);
    this.codeMirror = RowMirror.forCodeRows(this.codeBytes);
  }

  get listCount(): number {
    return this.lists.length;
  }

  listSize(list: number): number {
    return this.lists[list]!.size;
  }

  listItems(list: number): Int32Array {
    return this.lists[list]!.items;
  }

  listOf(item: number): number {
    return item < this.itemList.length ? this.itemList[item]! : -1;
  }

  vectorOf(item: number): Float32Array {
    const list = this.lists[this.itemList[item]!]!;
    const start = this.itemSlot[item]! * this.dimension;
    return list.vectors.subarray(start, start + this.dimension);
  }

  scoreExact(list: number, query: Float32Array, out: Float32Array): void {
    // The exact reference path: JavaScript, so the float32 vectors are not copied into wasm memory too.
    const { size, vectors } = this.lists[list]!;
    scoreRows(query, vectors, size, this.dimension, out);
  }

  scoreCodes(list: number, query: QuantizedQuery, dots: Int32Array): Float32Array {
    const { size, codes, params, version } = this.lists[list]!;
    if (!this.codeMirror.score(list, version, codes, size, query.values, dots)) {
      for (let i = 0; i < size; i += 1) dots[i] = codeDot(query.values, codes, i * this.codeBytes, this.codeBytes);
    }
    return params;
  }

  /** Adds an empty list and returns its number. */
  addList(): number {
    const entry: List = {
      size: 0,
      items: new Int32Array(0),
      vectors: new Float32Array(0),
      codes: new Uint8Array(0),
      params: new Float32Array(0),
      version: 0,
    };
    this.grow(entry, this.listCapacity);
    this.lists.push(entry);
    return this.lists.length - 1;
  }

  /** Makes room for `capacity` entries in a list (a split's target, about to receive half a split). */
  reserve(list: number, capacity: number): void {
    const entry = this.lists[list]!;
    if (capacity > entry.items.length) this.grow(entry, capacity);
  }

  /** Appends an item (not in any list) with vector[offset..offset+dimension) to a list, coding it. */
  append(list: number, item: number, vector: Float32Array, offset = 0): void {
    const entry = this.lists[list]!;
    const { dimension, codeBytes } = this;
    if (entry.size === entry.items.length) this.grow(entry, entry.size * 2);
    const slot = entry.size;
    entry.items[slot] = item;
    entry.vectors.set(vector.subarray(offset, offset + dimension), slot * dimension);
    encodeScalarCode(vector, offset, dimension, entry.codes, slot * codeBytes, entry.params, slot * codeParamsPerRow);
    entry.size += 1;
    entry.version += 1;
    this.place(item, list, slot);
  }

  /** Removes an item from its list; the list's last entry takes its slot. */
  remove(item: number): void {
    const list = this.itemList[item]!;
    const entry = this.lists[list]!;
    const slot = this.itemSlot[item]!;
    const last = entry.size - 1;
    if (slot !== last) {
      const { dimension, codeBytes } = this;
      const moved = entry.items[last]!;
      entry.items[slot] = moved;
      entry.vectors.copyWithin(slot * dimension, last * dimension, (last + 1) * dimension);
      entry.codes.copyWithin(slot * codeBytes, last * codeBytes, (last + 1) * codeBytes);
      entry.params.copyWithin(slot * codeParamsPerRow, last * codeParamsPerRow, (last + 1) * codeParamsPerRow);
      this.itemSlot[moved] = slot;
    }
    entry.size = last;
    entry.version += 1;
    this.itemList[item] = -1;
  }

  /** Moves an item to another list, code and all. */
  move(item: number, to: number): void {
    const from = this.lists[this.itemList[item]!]!;
    const entry = this.lists[to]!;
    const { dimension, codeBytes } = this;
    const slot = this.itemSlot[item]!;
    if (entry.size === entry.items.length) this.grow(entry, entry.size * 2);
    const target = entry.size;
    entry.items[target] = item;
    entry.vectors.set(from.vectors.subarray(slot * dimension, (slot + 1) * dimension), target * dimension);
    entry.codes.set(from.codes.subarray(slot * codeBytes, (slot + 1) * codeBytes), target * codeBytes);
    entry.params.set(from.params.subarray(slot * codeParamsPerRow, (slot + 1) * codeParamsPerRow), target * codeParamsPerRow);
    entry.size += 1;
    entry.version += 1;
    this.remove(item);
    this.place(item, to, target);
  }

  /** Bytes a list's arrays hold (its capacity: items, vectors, codes and their parameters). */
  listBytes(list: number): number {
    const { items, vectors, codes, params } = this.lists[list]!;
    return items.byteLength + vectors.byteLength + codes.byteLength + params.byteLength;
  }

  /** Empties a list and gives back its memory; returns the items it held (now in no list). */
  release(list: number): number[] {
    const entry = this.lists[list]!;
    const items = Array.from(entry.items.subarray(0, entry.size));
    for (const item of items) this.itemList[item] = -1;
    entry.size = 0;
    entry.version += 1;
    Object.assign(entry, { items: new Int32Array(0), vectors: new Float32Array(0), codes: new Uint8Array(0), params: new Float32Array(0) });
    this.grow(entry, this.listCapacity);
    return items;
  }

  /** Bytes held: vectors, codes, parameters, item tables (capacity, not just what is used) and the SIMD copies. */
  memoryBytes(): number {
    let bytes = this.itemList.byteLength + this.itemSlot.byteLength + this.codeMirror.memoryBytes();
    for (const list of this.lists)
      bytes += list.items.byteLength + list.vectors.byteLength + list.codes.byteLength + list.params.byteLength;
    return bytes;
  }

  private place(item: number, list: number, slot: number): void {
    if (item >= this.itemList.length) {
      const capacity = Math.max(item + 1, this.itemList.length * 2);
      const lists = new Int32Array(capacity).fill(-1);
      lists.set(this.itemList);
      this.itemList = lists;
      const slots = new Int32Array(capacity);
      slots.set(this.itemSlot);
      this.itemSlot = slots;
    }
    this.itemList[item] = list;
    this.itemSlot[item] = slot;
  }

  private grow(entry: List, capacity: number): void {
    const { dimension, codeBytes } = this;
    const items = new Int32Array(capacity);
    items.set(entry.items.subarray(0, entry.size));
    const vectors = new Float32Array(capacity * dimension);
    vectors.set(entry.vectors.subarray(0, entry.size * dimension));
    const codes = new Uint8Array(capacity * codeBytes);
    codes.set(entry.codes.subarray(0, entry.size * codeBytes));
    const params = new Float32Array(capacity * codeParamsPerRow);
    params.set(entry.params.subarray(0, entry.size * codeParamsPerRow));
    Object.assign(entry, { items, vectors, codes, params });
  }
}
