import { endianness } from 'node:os';
import { binaryFormatVersion, codebookMagic, segmentMagic } from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import type { IndexChanges, StoredEntry } from './types.js';

/**
 * Binary, little-endian index objects. A segment is immutable: a base segment
 * holds live entries list by list (written by compaction); a delta segment
 * holds one commit's puts (new, replaced or moved items) and deletes (tombstones).
 *
 *   header (32 bytes): magic 'VQSG', u32 version, u32 dimension, u32 kind (0 base, 1 delta),
 *                      u32 puts, u32 deletes, u32 string-table bytes, u32 reserved
 *   f32[puts × dimension]  vectors (unit length)
 *   u32[puts]              list (centroid) of each put
 *   f64[puts]              insertion sequence of each put
 *   string table           (u16 byte length + UTF-8) × (puts, then deletes): the ids
 */
export type SegmentKind = 'base' | 'delta';

export interface DecodedSegment extends IndexChanges {
  kind: SegmentKind;
  dimension: number;
}

const headerBytes = 32;
const littleEndianHost = endianness() === 'LE';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeSegment(kind: SegmentKind, dimension: number, changes: IndexChanges): Uint8Array {
  const { puts, deletes } = changes;
  const ids = [...puts.map((entry) => entry.id), ...deletes].map((id) => encoder.encode(id));
  const stringBytes = ids.reduce((sum, id) => sum + 2 + id.length, 0);
  const vectorsBytes = puts.length * dimension * 4;
  const total = headerBytes + vectorsBytes + puts.length * 4 + puts.length * 8 + stringBytes;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  writeMagic(bytes, segmentMagic);
  view.setUint32(4, binaryFormatVersion, true);
  view.setUint32(8, dimension, true);
  view.setUint32(12, kind === 'base' ? 0 : 1, true);
  view.setUint32(16, puts.length, true);
  view.setUint32(20, deletes.length, true);
  view.setUint32(24, stringBytes, true);
  let offset = headerBytes;
  for (const entry of puts) {
    writeFloat32s(view, offset, entry.vector);
    offset += dimension * 4;
  }
  for (const entry of puts) {
    view.setUint32(offset, entry.list, true);
    offset += 4;
  }
  for (const entry of puts) {
    view.setFloat64(offset, entry.seq, true);
    offset += 8;
  }
  for (const id of ids) {
    if (id.length > 0xffff) throw new RangeError('an item id is longer than 65535 bytes');
    view.setUint16(offset, id.length, true);
    bytes.set(id, offset + 2);
    offset += 2 + id.length;
  }
  return bytes;
}

export function decodeSegment(key: string, bytes: Uint8Array): DecodedSegment {
  const view = viewOf(bytes);
  if (bytes.length < headerBytes || readMagic(bytes) !== segmentMagic) throw new CorruptIndexDataError(key, 'not a VQ segment');
  const version = view.getUint32(4, true);
  if (version !== binaryFormatVersion) throw new CorruptIndexDataError(key, `segment format ${version}, expected ${binaryFormatVersion}`);
  const dimension = view.getUint32(8, true);
  const kind: SegmentKind = view.getUint32(12, true) === 0 ? 'base' : 'delta';
  const putCount = view.getUint32(16, true);
  const deleteCount = view.getUint32(20, true);
  const stringBytes = view.getUint32(24, true);
  const expected = headerBytes + putCount * (dimension * 4 + 12) + stringBytes;
  if (bytes.length !== expected) throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${expected}`);
  const vectors = readFloat32s(bytes, headerBytes, putCount * dimension);
  let offset = headerBytes + putCount * dimension * 4;
  const lists = new Uint32Array(putCount);
  for (let i = 0; i < putCount; i += 1, offset += 4) lists[i] = view.getUint32(offset, true);
  const seqs = new Float64Array(putCount);
  for (let i = 0; i < putCount; i += 1, offset += 8) seqs[i] = view.getFloat64(offset, true);
  const ids: string[] = [];
  for (let i = 0; i < putCount + deleteCount; i += 1) {
    const length = view.getUint16(offset, true);
    ids.push(decoder.decode(bytes.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  const puts: StoredEntry[] = [];
  for (let i = 0; i < putCount; i += 1) {
    puts.push({ id: ids[i]!, list: lists[i]!, seq: seqs[i]!, vector: vectors.subarray(i * dimension, (i + 1) * dimension) });
  }
  return { kind, dimension, puts, deletes: ids.slice(putCount) };
}

export interface DecodedCodebook {
  dimension: number;
  k: number;
  centroids: Float32Array;
  drift: Float32Array;
}

/** 'VQCB', u32 version, u32 dimension, u32 k, f32[k × dimension] centroids, f32[k] drift. */
export function encodeCodebook(dimension: number, k: number, centroids: Float32Array, drift: Float32Array): Uint8Array {
  const bytes = new Uint8Array(16 + k * dimension * 4 + k * 4);
  const view = new DataView(bytes.buffer);
  writeMagic(bytes, codebookMagic);
  view.setUint32(4, binaryFormatVersion, true);
  view.setUint32(8, dimension, true);
  view.setUint32(12, k, true);
  writeFloat32s(view, 16, centroids.subarray(0, k * dimension));
  writeFloat32s(view, 16 + k * dimension * 4, drift.subarray(0, k));
  return bytes;
}

export function decodeCodebook(key: string, bytes: Uint8Array): DecodedCodebook {
  const view = viewOf(bytes);
  if (bytes.length < 16 || readMagic(bytes) !== codebookMagic) throw new CorruptIndexDataError(key, 'not a VQ codebook');
  const version = view.getUint32(4, true);
  if (version !== binaryFormatVersion) throw new CorruptIndexDataError(key, `codebook format ${version}, expected ${binaryFormatVersion}`);
  const dimension = view.getUint32(8, true);
  const k = view.getUint32(12, true);
  if (bytes.length !== 16 + k * (dimension + 1) * 4)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes for k=${k}, d=${dimension}`);
  return {
    dimension,
    k,
    centroids: readFloat32s(bytes, 16, k * dimension),
    drift: readFloat32s(bytes, 16 + k * dimension * 4, k),
  };
}

function writeFloat32s(view: DataView, offset: number, values: Float32Array): void {
  if (littleEndianHost && (view.byteOffset + offset) % 4 === 0) {
    new Float32Array(view.buffer, view.byteOffset + offset, values.length).set(values);
    return;
  }
  for (let i = 0; i < values.length; i += 1) view.setFloat32(offset + i * 4, values[i]!, true);
}

/** A copy (aligned, host order) of count float32s at bytes[offset..]. */
function readFloat32s(bytes: Uint8Array, offset: number, count: number): Float32Array {
  if (littleEndianHost) {
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(offset, offset + count * 4));
    return new Float32Array(copy.buffer);
  }
  const view = viewOf(bytes);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + i * 4, true));
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function writeMagic(bytes: Uint8Array, magic: string): void {
  for (let i = 0; i < 4; i += 1) bytes[i] = magic.charCodeAt(i);
}

function readMagic(bytes: Uint8Array): string {
  return String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
}
