import { endianness } from 'node:os';
import { EmbedError } from './errors.js';

const littleEndianHost = endianness() === 'LE';

/** items/<itemId>/embedding.f32: raw little-endian float32, nothing else (the manifest says model and dimension). */
export function encodeEmbedding(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  if (littleEndianHost) bytes.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  else {
    const view = new DataView(bytes.buffer);
    vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  }
  return bytes;
}

export function decodeEmbedding(bytes: Uint8Array, expectedDimension?: number): Float32Array {
  if (bytes.length % 4 !== 0) throw new EmbedError(`an embedding needs a multiple of 4 bytes, got ${bytes.length}`);
  const dimension = bytes.length / 4;
  if (expectedDimension !== undefined && dimension !== expectedDimension) {
    throw new EmbedError(`embedding has ${dimension} dimensions, expected ${expectedDimension}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: dimension }, (_, i) => view.getFloat32(i * 4, true));
}
