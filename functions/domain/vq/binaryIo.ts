import { endianness } from 'node:os';

/** Little-endian helpers shared by the index's binary objects. */
const littleEndianHost = endianness() === 'LE';

export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function writeFloat32s(view: DataView, offset: number, values: Float32Array): void {
  if (littleEndianHost && (view.byteOffset + offset) % 4 === 0) {
    new Float32Array(view.buffer, view.byteOffset + offset, values.length).set(values);
    return;
  }
  for (let i = 0; i < values.length; i += 1) view.setFloat32(offset + i * 4, values[i]!, true);
}

/** A copy (aligned, host order) of count float32s at bytes[offset..]. */
export function readFloat32s(bytes: Uint8Array, offset: number, count: number): Float32Array {
  if (littleEndianHost) {
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(offset, offset + count * 4));
    return new Float32Array(copy.buffer);
  }
  const view = viewOf(bytes);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + i * 4, true));
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function writeMagic(bytes: Uint8Array, magic: string): void {
  for (let i = 0; i < 4; i += 1) bytes[i] = magic.charCodeAt(i);
}

export function readMagic(bytes: Uint8Array): string {
  return bytes.length < 4 ? '' : String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
}

/** (u16 byte length + UTF-8) per string. */
export function encodeStrings(strings: readonly string[]): Uint8Array[] {
  return strings.map((value) => {
    const encoded = utf8Encoder.encode(value);
    if (encoded.length > 0xffff) throw new RangeError('an item id is longer than 65535 bytes');
    return encoded;
  });
}

export function writeStrings(bytes: Uint8Array, offset: number, encoded: readonly Uint8Array[]): number {
  const view = viewOf(bytes);
  for (const value of encoded) {
    view.setUint16(offset, value.length, true);
    bytes.set(value, offset + 2);
    offset += 2 + value.length;
  }
  return offset;
}

export function readStrings(bytes: Uint8Array, offset: number, count: number): { strings: string[]; end: number } {
  const view = viewOf(bytes);
  const strings: string[] = [];
  for (let i = 0; i < count; i += 1) {
    if (offset + 2 > bytes.length) throw new RangeError('string table runs past the end');
    const length = view.getUint16(offset, true);
    if (offset + 2 + length > bytes.length) throw new RangeError('string table runs past the end');
    strings.push(utf8Decoder.decode(bytes.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
  }
  return { strings, end: offset };
}

export const byteLengthOfStrings = (encoded: readonly Uint8Array[]) => encoded.reduce((sum, value) => sum + 2 + value.length, 0);
