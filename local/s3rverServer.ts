import { randomUUID, createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver, { type S3rverObject, type S3rverOptions, type S3rverStore } from 's3rver';

/**
 * s3rver, with its PutObject made whole before it is answered. Its filesystem
 * store resolves a put when the request body has been read, not when the file
 * is written, so a GET right after the PUT's answer can stat and serve a file
 * still being written: seen as a half-written index manifest on a busy
 * machine. Here the body goes to a temporary file that is renamed into place
 * (readers see the old object or the new one, never part of one), then the
 * metadata is written as s3rver writes it, then the PUT is answered.
 */
export function createS3rver(options: S3rverOptions): S3rver {
  const server = new S3rver(options);
  const { store } = server;
  store.putObject = (object) => putObjectWhole(store, object);
  return server;
}

async function putObjectWhole(store: S3rverStore, object: S3rverObject): Promise<{ size: number; md5: string }> {
  const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  // Not named like an object (…._S3rver_object), so a listing never shows it.
  const partial = `${objectPath}.${randomUUID()}.partial`;
  const md5 = createHash('md5');
  let size = 0;
  try {
    await pipeline(
      Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          md5.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(partial),
    );
    await rename(partial, objectPath);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const digest = md5.digest('hex');
  await store.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
}
