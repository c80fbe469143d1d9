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
import { listFormatVersion, listMagic, pageFormatVersion, pageMagic } from './constants.js';
import { CorruptIndexDataError } from './errors.js';
import { codeBytesFor, codeParamsPerRow, encodeScalarCode } from './scalarCodes.js';

/**
 * One posting list as one immutable object, laid out so that a query reads
 * only its front (the scan part) and re-ranks by fetching single vectors by
 * byte range, and the writer reads only ids and the list's sum at a cold start:
 *
 *   header (32 bytes): 'VQLS', u32 version, u32 dimension, u32 count, u32 code bytes per row,
 *                      u32 scan bytes, u32 masked ids, u32 reserved
 *   f32[count × 2]            code parameters (low, step)       ┐
 *   u8[count × code bytes]    uint8 codes                       │ the scan part
 *   string table              (u16 length + UTF-8) × count: ids │
 *   string table              masked ids (a delta's, below)     ┘ padded to 8
 *   f64[dimension]            the list's member sum as of this blob, fixed point (writer; version 2)
 *   f32[count × dimension]    unit vectors (re-rank, writer)
 *   f64[count]                insertion sequence (writer)
 *
 * A list is its base plus a chain of deltas in the same format, oldest first:
 * each delta holds the entries added by one commit (or by a merge of earlier
 * deltas) and the ids of earlier entries it masks (deleted, moved or
 * re-embedded). An entry is live unless a later blob of its list masks its id
 * (listParts.ts). Entries are in insertion order, so the same members give
 * the same bytes. Version 1 (schema 3) has no sum, and its scan bytes are
 * where the vectors start.
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
  /** Ids of earlier entries of the list this blob masks (a delta's; empty for a base). */
  masked: string[];
  vectorsOffset: number;
}

export interface DecodedList extends ListScanPart {
  vectors: Float32Array;
  seqs: Float64Array;
  /** The list's member sum as of this blob (fixed point, ClusterSums' scale); absent in version 1. */
  sum?: Float64Array;
}

const headerBytes = 32;
/** Version 1: no sum, vectors right after the scan part (schema 3); still read. */
const unsummedFormatVersion = 1;
const listVersions = [unsummedFormatVersion, listFormatVersion];

/** The object's bytes and the length of its scan part (what a query reads). */
export interface EncodedList {
  bytes: Uint8Array;
  scanBytes: number;
}

/**
 * Encodes a list blob: its entries (in insertion order), the ids of earlier
 * entries it masks, and the list's whole member sum as of this blob.
 */
export function encodeList(dimension: number, entries: readonly ListEntry[], masked: readonly string[], sum: Float64Array): EncodedList {
  const count = entries.length;
  const codeBytes = codeBytesFor(dimension);
  const ids = encodeStrings(entries.map((entry) => entry.id));
  const maskedIds = encodeStrings(masked);
  const paramsOffset = headerBytes;
  const codesOffset = paramsOffset + count * codeParamsPerRow * 4;
  const idsOffset = codesOffset + count * codeBytes;
  const maskedOffset = idsOffset + byteLengthOfStrings(ids);
  const scanBytes = align8(maskedOffset + byteLengthOfStrings(maskedIds));
  const vectorsOffset = scanBytes + dimension * 8;
  const seqsOffset = align8(vectorsOffset + count * dimension * 4);
  const bytes = new Uint8Array(seqsOffset + count * 8);
  const view = viewOf(bytes);
  writeHeader(bytes, listMagic, [dimension, count, codeBytes, scanBytes, masked.length]);
  const params = new Float32Array(count * codeParamsPerRow);
  const codes = bytes.subarray(codesOffset, idsOffset);
  entries.forEach((entry, i) => {
    encodeScalarCode(entry.vector, 0, dimension, codes, i * codeBytes, params, i * codeParamsPerRow);
    writeFloat32s(view, vectorsOffset + i * dimension * 4, entry.vector);
    view.setFloat64(seqsOffset + i * 8, entry.seq, true);
  });
  for (let d = 0; d < dimension; d += 1) view.setFloat64(scanBytes + d * 8, sum[d]!, true);
  writeFloat32s(view, paramsOffset, params);
  writeStrings(bytes, idsOffset, ids);
  writeStrings(bytes, maskedOffset, maskedIds);
  return { bytes, scanBytes };
}

/** Decodes the scan part from the first `scanBytes` of a list object (or the whole of it). */
export function decodeListScanPart(key: string, bytes: Uint8Array): ListScanPart {
  const { version, fields } = readHeader(key, bytes, listMagic, 'posting list', listVersions);
  const [dimension, count, codeBytes, scanBytes, maskedCount] = fields;
  if (codeBytes !== codeBytesFor(dimension)) throw new CorruptIndexDataError(key, `code rows of ${codeBytes} bytes for d=${dimension}`);
  if (bytes.length < scanBytes) throw new CorruptIndexDataError(key, `${bytes.length} bytes, the scan part alone is ${scanBytes}`);
  const idsOffset = idsOffsetOf(count, codeBytes);
  let ids: string[];
  let masked: string[];
  try {
    const scanPart = bytes.subarray(0, scanBytes);
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
    codes: bytes.slice(idsOffset - count * codeBytes, idsOffset),
    ids,
    masked,
    vectorsOffset: version === unsummedFormatVersion ? scanBytes : scanBytes + dimension * 8,
  };
}

export function decodeList(key: string, bytes: Uint8Array): DecodedList {
  const scan = decodeListScanPart(key, bytes);
  const { count, dimension, vectorsOffset } = scan;
  const seqsOffset = align8(vectorsOffset + count * dimension * 4);
  if (bytes.length !== seqsOffset + count * 8)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${seqsOffset + count * 8}`);
  const view = viewOf(bytes);
  const summed = readHeader(key, bytes, listMagic, 'posting list', listVersions).version !== unsummedFormatVersion;
  return {
    ...scan,
    vectors: readFloat32s(bytes, vectorsOffset, count * dimension),
    seqs: Float64Array.from({ length: count }, (_, i) => view.getFloat64(seqsOffset + i * 8, true)),
    ...(summed ? { sum: readSum(view, vectorsOffset - dimension * 8, dimension) } : {}),
  };
}

/** The byte range [start, end) of entry `slot`'s float32 vector in a list object. */
export function vectorRange(scan: Pick<ListScanPart, 'dimension' | 'vectorsOffset'>, slot: number): [number, number] {
  const start = scan.vectorsOffset + slot * scan.dimension * 4;
  return [start, start + scan.dimension * 4];
}

/**
 * What a writer reads of a (version 2) blob at a cold start, as one range
 * relative to the blob: its ids and masked ids and, with `withSum`, the
 * list's sum after them; never the codes or the vectors.
 */
export function membersRange(ref: BlobRef, dimension: number, withSum: boolean): [number, number] {
  return [idsOffsetOf(ref.count, codeBytesFor(dimension)), ref.scanBytes + (withSum ? dimension * 8 : 0)];
}

/** Decodes what membersRange read: `count` ids, `maskedCount` masked ids and, when read, the sum. */
export function decodeMembers(
  key: string,
  bytes: Uint8Array,
  ref: BlobRef,
  masked: number,
  dimension: number,
  withSum: boolean,
): { ids: string[]; masked: string[]; sum?: Float64Array } {
  const [start, end] = membersRange(ref, dimension, withSum);
  if (bytes.length !== end - start) throw new CorruptIndexDataError(key, `${bytes.length} bytes of ids and sum, expected ${end - start}`);
  try {
    const ids = readStrings(bytes, 0, ref.count);
    const maskedIds = readStrings(bytes, ids.end, masked);
    const sumAt = ref.scanBytes - start;
    return { ids: ids.strings, masked: maskedIds.strings, ...(withSum ? { sum: readSum(viewOf(bytes), sumAt, dimension) } : {}) };
  } catch (error) {
    throw new CorruptIndexDataError(key, (error as Error).message);
  }
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

/** A delta of a list: a blob of added entries, and how many earlier entries of the list it masks. */
export type DeltaRef = BlobRef & { masked: number };

/** How a page names one list: its base blob and the deltas written since, oldest first. */
export interface ListRef extends BlobRef {
  deltas?: DeltaRef[];
}

/** Entries a list holds: its base's, plus each delta's, less the earlier entries each delta masks. */
export const liveCount = (ref: ListRef) => (ref.deltas ?? []).reduce((sum, delta) => sum + delta.count - delta.masked, ref.count);

/** A blob's bytes [start, end) within its object, from its byte range relative to the blob. */
export const blobRange = (ref: BlobRef, start: number, end: number): [number, number] => [
  (ref.offset ?? 0) + start,
  (ref.offset ?? 0) + end,
];

/** A list's stored blobs, oldest first: its base (when it has entries), then its deltas. */
export function storedBlobs(ref: ListRef): BlobRef[] {
  return [...(ref.key && ref.count > 0 ? [ref] : []), ...(ref.deltas ?? []).filter((delta) => delta.key)];
}

/** How many ids each stored blob of a list masks, in storedBlobs' order. */
export const maskedCounts = (ref: ListRef): number[] => storedBlobs(ref).map((blob) => (blob === ref ? 0 : (blob as DeltaRef).masked));

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
  writeHeader(bytes, pageMagic, [dimension, firstList, lists.length, json.length], pageFormatVersion);
  const view = viewOf(bytes);
  writeFloat32s(view, centroidsOffset, page.centroids.subarray(0, lists.length * dimension));
  writeFloat32s(view, driftOffset, page.drift.subarray(0, lists.length));
  bytes.set(json, jsonOffset);
  return bytes;
}

export function decodePage(key: string, bytes: Uint8Array): CodebookPage {
  const [dimension, firstList, count, jsonBytes] = readHeader(key, bytes, pageMagic, 'codebook page', [pageFormatVersion]).fields;
  const driftOffset = headerBytes + count * dimension * 4;
  const jsonOffset = driftOffset + count * 4;
  if (bytes.length !== jsonOffset + jsonBytes)
    throw new CorruptIndexDataError(key, `${bytes.length} bytes, header says ${jsonOffset + jsonBytes}`);
  let lists: (ListRef & { delta?: DeltaRef })[];
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
    // Schema 3 named at most one delta per list.
    lists: lists.map(({ delta, ...ref }) => (delta ? { ...ref, deltas: [delta] } : ref)),
  };
}

const idsOffsetOf = (count: number, codeBytes: number) => headerBytes + count * (codeParamsPerRow * 4 + codeBytes);

function readSum(view: DataView, offset: number, dimension: number): Float64Array {
  return Float64Array.from({ length: dimension }, (_, d) => view.getFloat64(offset + d * 8, true));
}

function writeHeader(bytes: Uint8Array, magic: string, fields: readonly number[], version = listFormatVersion): void {
  const view = viewOf(bytes);
  writeMagic(bytes, magic);
  view.setUint32(4, version, true);
  fields.forEach((value, i) => view.setUint32(8 + i * 4, value, true));
}

function readHeader(
  key: string,
  bytes: Uint8Array,
  magic: string,
  what: string,
  versions: readonly number[],
): { version: number; fields: [number, number, number, number, number] } {
  if (bytes.length < headerBytes || readMagic(bytes) !== magic) throw new CorruptIndexDataError(key, `not a VQ ${what}`);
  const view = viewOf(bytes);
  const version = view.getUint32(4, true);
  if (!versions.includes(version)) throw new CorruptIndexDataError(key, `${what} format ${version}, expected ${versions.join(' or ')}`);
  const field = (i: number) => view.getUint32(8 + i * 4, true);
  return { version, fields: [field(0), field(1), field(2), field(3), field(4)] };
}

const align8 = (offset: number) => Math.ceil(offset / 8) * 8;
