/**
 * The storage port the index persists through: whole-object reads that return
 * the object's ETag, byte-range reads, and writes with S3 conditional semantics. functions/adapters/store
 * implements it over S3 (PutObject with IfNoneMatch / IfMatch).
 */
export interface StoredObject {
  bytes: Uint8Array;
  etag: string;
}

export type WriteCondition =
  /** Create only: fails if the key exists (If-None-Match: *). */
  | { ifNoneMatch: '*' }
  /** Replace only the version that was read: fails if the ETag changed or the object is gone (If-Match). */
  | { ifMatch: string };

export interface IndexStorage {
  /** undefined when the object does not exist. */
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * 'unchanged' when the object still has this ETag (If-None-Match: no body
   * travels), else as get(): how a cached reader checks a manifest cheaply.
   */
  getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined>;
  /** Bytes [start, end) of an object (a Range GET); undefined when the object does not exist. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined>;
  /**
   * Writes an object and returns its new ETag. With a condition that does not
   * hold, throws PreconditionFailedError and changes nothing.
   */
  put(key: string, bytes: Uint8Array, contentType: string, condition?: WriteCondition): Promise<string>;
  /** A missing key is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}
