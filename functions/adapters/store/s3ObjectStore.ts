import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getObjectBytes } from './getObjectBytes.js';
import { putStreamed } from './putStreamed.js';
import { retryTransient } from './retryTransient.js';
import type { FolderPage, ObjectInfo, ObjectStore, PutOptions } from '../../domain/items/index.js';

/** S3 caps DeleteObjects at 1000 keys per request. */
const maxKeysPerDelete = 1000;

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || error instanceof NotFound || (error as { name?: string })?.name === 'NotFound';
}

/** The ObjectStore port over one S3 bucket. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { bytes: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0), ...(head.ETag ? { eTag: head.ETag } : {}) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return (await getObjectBytes(this.s3, { Bucket: this.bucket, Key: key })).bytes;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async getHead(key: string, length: number): Promise<Uint8Array | undefined> {
    try {
      const { bytes } = await getObjectBytes(this.s3, { Bucket: this.bucket, Key: key, Range: `bytes=0-${length - 1}` });
      // A server that ignores Range sends everything; keep only what was asked for.
      return bytes.subarray(0, length);
    } catch (error) {
      if (isMissing(error)) return undefined;
      // An empty object has no byte 0 to start a range at.
      if ((error as { name?: string })?.name === 'InvalidRange') return new Uint8Array();
      throw error;
    }
  }

  async downloadToFile(key: string, filePath: string): Promise<boolean> {
    try {
      // Made again whole after a transient failure midway; the file is written afresh each time.
      await retryTransient(async () => {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        await pipeline((object.Body as Readable | undefined) ?? Readable.from([]), createWriteStream(filePath));
      });
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async putFile(key: string, filePath: string, options: PutOptions): Promise<void> {
    const { size } = await stat(filePath);
    await putStreamed(
      this.s3,
      { Bucket: this.bucket, Key: key, ContentLength: size, ContentType: options.contentType, CacheControl: options.cacheControl },
      () => createReadStream(filePath),
    );
  }

  async put(key: string, body: Uint8Array | string, options: PutOptions): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
      }),
    );
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += maxKeysPerDelete) {
      const chunk = keys.slice(start, start + maxKeysPerDelete);
      const result = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors?.filter((entry) => entry.Code !== 'NoSuchKey') ?? [];
      if (failed.length > 0) {
        throw new Error(`could not delete ${failed.length} object(s), first ${failed[0]?.Key}: ${failed[0]?.Message}`);
      }
    }
  }

  async *listKeys(prefix: string): AsyncIterable<string> {
    // ListObjects (v1), paged by marker: s3rver builds v2 continuation tokens with DES,
    // which Node 20's OpenSSL 3 refuses, so every v2 listing past 1000 keys failed locally.
    let marker: string | undefined;
    for (;;) {
      const page = await this.s3.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix, Marker: marker }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      yield* keys;
      if (!page.IsTruncated || keys.length === 0) return;
      marker = page.NextMarker ?? keys[keys.length - 1];
    }
  }

  async listFolders(prefix: string, limit: number, afterFolder?: string): Promise<FolderPage> {
    const page = await this.s3.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        Delimiter: '/',
        MaxKeys: limit,
        // U+FFFF sorts after every key inside the folder, so the listing resumes at the next folder.
        StartAfter: afterFolder === undefined ? undefined : `${prefix}${afterFolder}/\uffff`,
      }),
    );
    const allFolders = (page.CommonPrefixes ?? [])
      .map((entry) => entry.Prefix?.slice(prefix.length).replace(/\/$/, ''))
      .filter((name): name is string => Boolean(name));
    // Some emulators ignore MaxKeys when grouping by delimiter; enforce it here.
    const folders = allFolders.slice(0, limit);
    const truncated = Boolean(page.IsTruncated) || allFolders.length > folders.length;
    return truncated && folders.length > 0 ? { folders, nextCursor: folders[folders.length - 1] } : { folders };
  }
}
