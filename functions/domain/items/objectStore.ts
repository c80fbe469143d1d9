/**
 * The storage port the domain code is written against. functions/adapters/store
 * implements it over S3; domain modules never import the AWS SDK.
 */
export interface ObjectInfo {
  bytes: number;
  lastModified: Date;
  /** S3's entity tag: with lastModified it tells one version of a key from the next. */
  eTag?: string;
}

export interface PutOptions {
  contentType: string;
  cacheControl?: string;
}

export interface FolderPage {
  /** Folder names directly under the prefix, without the prefix or the trailing '/'. */
  folders: string[];
  /** The last folder of this page, when more follow: pass it back to get the next page. */
  nextCursor?: string;
}

export interface ObjectStore {
  /** undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** undefined when the object does not exist. */
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /**
   * The first bytes of an object, at most `length` (fewer when it is shorter); undefined when it does not
   * exist. Callers check for an empty object first: s3rver drops the connection on a range of nothing.
   */
  getHead(key: string, length: number): Promise<Uint8Array | undefined>;
  /** Streams an object into a local file without holding it in memory; false when it does not exist. */
  downloadToFile(key: string, filePath: string): Promise<boolean>;
  put(key: string, body: Uint8Array | string, options: PutOptions): Promise<void>;
  /** Streams a local file into an object (for outputs too large to hold in memory, e.g. video). */
  putFile(key: string, filePath: string, options: PutOptions): Promise<void>;
  /** Deletes in the order given; a missing key is not an error. */
  deleteKeys(keys: readonly string[]): Promise<void>;
  listKeys(prefix: string): AsyncIterable<string>;
  listFolders(prefix: string, limit: number, afterFolder?: string): Promise<FolderPage>;
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const bytes = await store.getBytes(key);
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

export function putJson(store: ObjectStore, key: string, value: unknown, cacheControl?: string): Promise<void> {
  return store.put(key, `${JSON.stringify(value, null, 2)}\n`, { contentType: 'application/json', cacheControl });
}
