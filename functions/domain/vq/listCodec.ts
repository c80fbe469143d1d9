import {
  byteLengthOfStrings,
  encodeStrings,
  readFloat32s,
  readMagic,
  readStrings,
  utf8Decoder,
  utf8Encoder,
  viewOf,
  writeFloat32s,
  writeMagic,
  writeStrings,
} from './binaryIo.js';
import { listFormatVersion, listMagic, pageMagic } from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import { codeBytesFor, codeParamsPerRow, encodeScalarCode } from './scalarCodes.js';

/**
 * One posting list as one immutable object, laid out so that a query reads
 * only its front (the scan part) and re-ranks by fetching single vectors by
 * byte range:
 *
 *   header (32 bytes): 'VQLS', u32 version, u32 dimension, u32 count, u32 code bytes per row,
 *                      u32 scan bytes (= offset of the vectors), u32 masked ids, u32 reserved
 *   f32[count × 2]            code parameters (low, step)       ┐
 *   u8[count × code bytes]    uint8 codes                       │ the scan part
 *   string table              (u16 length + UTF-8) × count: ids │
 *   string table              masked ids (a delta's, below)     ┘ padded to 4
 *   f32[count × dimension]    unit vectors (re-rank, writer)
 *   f64[count]                insertion sequence (writer)
 *
 * A list is its base, plus optionally a delta in the same format: the entries
 * added since the base was written and the ids of base entries it masks
 * (deleted, moved or re-embedded). A commit writes a small delta instead of
 * rewriting the base until the delta grows past a fraction of it (a fold).
 * Entries are in insertion order, so the same members give the same bytes.
 */
export interface ListEntry {
  id: string;
  seq: number;
  vector: Float32Array;
}

/** What a query scans: codes, their parameters and the ids, plus where the vectors start. */
export interface ListScanPart {
  count: number;
  dimension: number;
  codeBytes: number;
  params: Float32Array;
  codes: Uint8Array;
  ids: string[];
  /** Base ids this blob masks (a delta's; empty for a base). */
  masked: string[];
  vectorsOffset: number;
}

export interface DecodedList extends ListScanPart {
  vectors: Float32Array;
  seqs: Float64Array;
}

const headerBytes = 32;

/** The object's bytes and the length of its scan part (what a query reads). */
export interface EncodedList {
  bytes: Uint8Array;
  scanBytes: number;
}

export function encodeList(dimension: number, entries: readonly ListEntry[], masked: readonly string[] = []): EncodedList {
  const count = entries.length;
  const codeBytes = codeBytesFor(dimension);
  const ids = encodeStrings(entries.map((entry) => entry.id));
  const maskedIds = encodeStrings(masked);
  const paramsOffset = headerBytes;
  const codesOffset = paramsOffset + count * codeParamsPerRow * 4;
  const idsOffset = codesOffset + count * codeBytes;
  const maskedOffset = idsOffset + byteLengthOfStrings(ids);
  const vectorsOffset = align4(maskedOffset + byteLengthOfStrings(maskedIds));
  const seqsOffset = vectorsOffset + count * dimension * 4;
  const bytes = new Uint8Array(align8(seqsOffset) + count * 8);
  const view = viewOf(bytes);
  writeHeader(bytes, listMagic, [dimension, count, codeBytes, vectorsOffset, masked.length]);
  const params = new Float32Array(count * codeParamsPerRow);
  const codes = bytes.subarray(codesOffset, idsOffset);
  entries.forEach((entry, i) => {
    encodeScalarCode(entry.vector, 0, dimension, codes, i * codeBytes, params, i * codeParamsPerRow);
    writeFloat32s(view, vectorsOffset + i * dimension * 4, entry.vector);
    view.setFloat64(align8(seqsOffset) + i * 8, entry.seq, true);
  });
  writeFloat32s(view, paramsOffset, params);
  writeStrings(bytes, idsOffset, ids);
  writeStrings(bytes, maskedOffset, maskedIds);
  return { bytes, scanBytes: vectorsOffset };
}

/** Decodes the scan part from the first `scanBytes` of a list object (or the whole of it). */
export function decodeListScanPart(key: string, bytes: Uint8Array): ListScanPart {
  const [dimension, count, codeBytes, vectorsOffset, maskedCount] = readHeader(key, bytes, listMagic, 'posting list');
  if (codeBytes !== codeBytesFor(dimension)) throw new CorruptIndexDataError(key, `code rows of ${codeBytes} bytes for d=${dimension}`);
  if (bytes.length < vectorsOffset) throw new CorruptIndexDataError(key, `${bytes.length} bytes, the scan part alone is ${vectorsOffset}`);
  const codesOffset = headerBytes + count * codeParamsPerRow * 4;
  const idsOffset = codesOffset + count * codeBytes;
  let ids: string[];
  let masked: string[];
  try {
    const scanPart = bytes.subarray(0, vectorsOffset);
    const read = readStrings(scanPart, idsOffset, count);
    ids = read.strings;
    masked = readStrings(scanPart, read.end, maskedCount).strings;
  } catch (error) {
    throw new CorruptIndexDataError(key, (error as Error).message);
  }
  return {
    count,
    dimension,
    codeBytes,
    params: readFloat32s(bytes, headerBytes, count * codeParamsPerRow),
    codes: bytes.slice(codesOffset, idsOffset),
    ids,
    masked,
    vectorsOffset,
  };
}

export function decodeList(key: string, bytes: Uint8Array): DecodedList {
  const scan = decodeListScanPart(key, bytes);
  const { count, dimension, vectorsOffset } = scan;
  const seqsOffset = align8(vectorsOffset + count * dimension * 4);
  if (bytes.length !== seqsOffset + count * 8)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${seqsOffset + count * 8}`);
  const view = viewOf(bytes);
  return {
    ...scan,
    vectors: readFloat32s(bytes, vectorsOffset, count * dimension),
    seqs: Float64Array.from({ length: count }, (_, i) => view.getFloat64(seqsOffset + i * 8, true)),
  };
}

/** The byte range [start, end) of entry `slot`'s float32 vector in a list object. */
export function vectorRange(scan: Pick<ListScanPart, 'dimension' | 'vectorsOffset'>, slot: number): [number, number] {
  const start = scan.vectorsOffset + slot * scan.dimension * 4;
  return [start, start + scan.dimension * 4];
}

/** Where one list blob is stored: its object (empty key for none), where in it, its entries and the bytes a scan reads. */
export interface BlobRef {
  key: string;
  /** Byte offset of the blob in its object (a commit's pack packs many); absent: the object is the blob. */
  offset?: number;
  count: number;
  scanBytes: number;
  bytes: number;
}

/** How a page names one list: its base blob and, when changed since, the delta that goes with it. */
export interface ListRef extends BlobRef {
  delta?: BlobRef & {
    /** Base ids the delta masks. */
    masked: number;
  };
}

/** Entries a list holds: its base's, less the ones its delta masks, plus the delta's. */
export const liveCount = (ref: ListRef) => ref.count + (ref.delta ? ref.delta.count - ref.delta.masked : 0);

/** A blob's bytes [start, end) within its object, from its byte range relative to the blob. */
export const blobRange = (ref: BlobRef, start: number, end: number): [number, number] => [
  (ref.offset ?? 0) + start,
  (ref.offset ?? 0) + end,
];

/** A list's stored blobs: its base (when it has entries), then its delta (when it has one). */
export function storedBlobs(ref: ListRef): BlobRef[] {
  const base = ref.key && ref.count > 0 ? [ref] : [];
  return ref.delta?.key ? [...base, ref.delta] : base;
}

/** A name for a blob, unique among the objects an index names (cache key). */
export const blobName = (ref: BlobRef) => (ref.offset === undefined ? ref.key : `${ref.key}@${ref.offset}`);

/**
 * A page of the codebook: `lists` consecutive centroids from `firstList`,
 * their drift, and the object of each of their posting lists. The manifest
 * names pages, so a commit rewrites only the pages of the lists it touched.
 *
 *   header (32 bytes): 'VQPG', u32 version, u32 dimension, u32 first list, u32 lists, u32 JSON bytes, u32 × 2 reserved
 *   f32[lists × dimension] centroids, f32[lists] drift, UTF-8 JSON ListRef[]
 */
export interface CodebookPage {
  dimension: number;
  firstList: number;
  centroids: Float32Array;
  drift: Float32Array;
  lists: ListRef[];
}

export function encodePage(page: CodebookPage): Uint8Array {
  const { dimension, firstList, lists } = page;
  const json = utf8Encoder.encode(JSON.stringify(lists));
  const centroidsOffset = headerBytes;
  const driftOffset = centroidsOffset + lists.length * dimension * 4;
  const jsonOffset = driftOffset + lists.length * 4;
  const bytes = new Uint8Array(jsonOffset + json.length);
  writeHeader(bytes, pageMagic, [dimension, firstList, lists.length, json.length]);
  const view = viewOf(bytes);
  writeFloat32s(view, centroidsOffset, page.centroids.subarray(0, lists.length * dimension));
  writeFloat32s(view, driftOffset, page.drift.subarray(0, lists.length));
  bytes.set(json, jsonOffset);
  return bytes;
}

export function decodePage(key: string, bytes: Uint8Array): CodebookPage {
  const [dimension, firstList, count, jsonBytes] = readHeader(key, bytes, pageMagic, 'codebook page');
  const driftOffset = headerBytes + count * dimension * 4;
  const jsonOffset = driftOffset + count * 4;
  if (bytes.length !== jsonOffset + jsonBytes)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${jsonOffset + jsonBytes}`);
  let lists: ListRef[];
  try {
    lists = JSON.parse(utf8Decoder.decode(bytes.subarray(jsonOffset))) as ListRef[];
  } catch (error) {
    throw new CorruptIndexDataError(key, `list table: ${(error as Error).message}`);
  }
  if (!Array.isArray(lists) || lists.length !== count) throw new CorruptIndexDataError(key, `list table does not name ${count} lists`);
  return {
    dimension,
    firstList,
    centroids: readFloat32s(bytes, headerBytes, count * dimension),
    drift: readFloat32s(bytes, driftOffset, count),
    lists,
  };
}

function writeHeader(bytes: Uint8Array, magic: string, fields: readonly number[]): void {
  const view = viewOf(bytes);
  writeMagic(bytes, magic);
  view.setUint32(4, listFormatVersion, true);
  fields.forEach((value, i) => view.setUint32(8 + i * 4, value, true));
}

function readHeader(key: string, bytes: Uint8Array, magic: string, what: string): [number, number, number, number, number] {
  if (bytes.length < headerBytes || readMagic(bytes) !== magic) throw new CorruptIndexDataError(key, `not a VQ ${what}`);
  const view = viewOf(bytes);
  const version = view.getUint32(4, true);
  if (version !== listFormatVersion) throw new CorruptIndexDataError(key, `${what} format ${version}, expected ${listFormatVersion}`);
  const field = (i: number) => view.getUint32(8 + i * 4, true);
  return [field(0), field(1), field(2), field(3), field(4)];
}

const align4 = (offset: number) => Math.ceil(offset / 4) * 4;
const align8 = (offset: number) => Math.ceil(offset / 8) * 8;
