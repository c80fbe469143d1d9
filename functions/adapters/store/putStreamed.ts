import type { Readable } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { retryTransient } from './retryTransient.js';

/**
 * A PutObject whose body is a stream, tried again with a fresh stream after a transient failure.
 * The SDK never retries a streaming request (it cannot rewind the body: "An error was encountered
 * in a non-retryable streaming request"), so one reset connection or 503 would fail the whole
 * upload. A PUT is idempotent: sending the same bytes again is safe whether or not the first took effect.
 * `maxAttempts`: tries in all (retryTransient's default, 3, unless given).
 */
export function putStreamed(
  s3: S3Client,
  input: Omit<PutObjectCommandInput, 'Body'>,
  openBody: () => Readable,
  maxAttempts?: number,
): Promise<void> {
  return retryTransient(async () => {
    const body = openBody();
    try {
      await s3.send(new PutObjectCommand({ ...input, Body: body }));
    } finally {
      body.destroy();
    }
  }, maxAttempts);
}
