import { DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getObjectBytes } from './getObjectBytes.js';
import { PreconditionFailedError, type IndexStorage, type StoredObject, type WriteCondition } from '../../domain/vq/index.js';

/**
 * 'native': the backend enforces If-None-Match / If-Match on PutObject (AWS S3,
 * moto_server). 'emulated': it ignores them (s3rver), so the condition is
 * checked with a HEAD just before the write — not atomic, and sufficient only
 * because each shard has one writer (the FIFO message group).
 */
export type ConditionalWriteSupport = 'native' | 'emulated';

const maxKeysPerDelete = 1000;

/** The vq IndexStorage port over one S3 bucket, with conditional writes. */
export class S3IndexStorage implements IndexStorage {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly conditionalWrites: ConditionalWriteSupport = 'native',
  ) {}

  async get(key: string): Promise<StoredObject | undefined> {
    const object = await this.getObject(key);
    return object === 'unchanged' ? undefined : object;
  }

  getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined> {
    return this.getObject(key, etag);
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined> {
    try {
      const { bytes } = await getObjectBytes(this.s3, { Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` });
      if (bytes.length !== end - start) throw new Error(`${key}: asked for bytes ${start}-${end - 1}, got ${bytes.length} bytes`);
      return bytes;
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  private async getObject(key: string, ifNoneMatch?: string): Promise<StoredObject | 'unchanged' | undefined> {
    try {
      const { bytes, output } = await getObjectBytes(this.s3, {
        Bucket: this.bucket,
        Key: key,
        ...(ifNoneMatch ? { IfNoneMatch: ifNoneMatch } : {}),
      });
      return { bytes, etag: output.ETag ?? '' };
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NoSuchKey') return undefined;
      // 304 Not Modified: the SDK reports it as an error without a body.
      if (ifNoneMatch && statusOf(error) === 304) return 'unchanged';
      throw error;
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string, condition?: WriteCondition): Promise<string> {
    if (condition && this.conditionalWrites === 'emulated') await this.checkCondition(key, condition);
    try {
      const result = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: condition.ifNoneMatch } : {}),
          ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
        }),
      );
      return result.ETag ?? '';
    } catch (error) {
      if (condition && lostCondition(error)) throw new PreconditionFailedError(key);
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += maxKeysPerDelete) {
      const chunk = keys.slice(start, start + maxKeysPerDelete);
      const result = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = result.Errors?.filter((entry) => entry.Code !== 'NoSuchKey') ?? [];
      if (failed.length > 0)
        throw new Error(`could not delete ${failed.length} index object(s), first ${failed[0]?.Key}: ${failed[0]?.Message}`);
    }
  }

  private async checkCondition(key: string, condition: WriteCondition): Promise<void> {
    let etag: string | undefined;
    try {
      etag = (await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ETag;
    } catch (error) {
      if (statusOf(error) !== 404 && nameOf(error) !== 'NotFound' && nameOf(error) !== 'NoSuchKey') throw error;
    }
    const holds = 'ifNoneMatch' in condition ? etag === undefined : etag === condition.ifMatch;
    if (!holds) throw new PreconditionFailedError(key);
  }
}

/**
 * 412 PreconditionFailed: the condition does not hold. 409 ConditionalRequestConflict:
 * a concurrent conditional write to the key is in flight. 404 on If-Match: the object is gone.
 */
function lostCondition(error: unknown): boolean {
  const status = statusOf(error);
  const name = nameOf(error);
  return status === 412 || status === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 404;
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as { name?: string })?.name;
