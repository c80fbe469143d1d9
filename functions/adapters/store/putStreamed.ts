import type { Readable } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { isTransientFailure } from './transientFailure.js';

/** Tries in all, as the SDK's own default (maxAttempts 3) for a body it can replay. */
const maxAttempts = 3;
const baseDelayMs = 100;

/**
 * A PutObject whose body is a stream, tried again with a fresh stream after a transient failure.
 * The SDK never retries a streaming request (it cannot rewind the body: "An error was encountered
 * in a non-retryable streaming request"), so one reset connection or 503 would fail the whole
 * upload. A PUT is idempotent: sending the same bytes again is safe whether or not the first took effect.
 */
export async function putStreamed(s3: S3Client, input: Omit<PutObjectCommandInput, 'Body'>, openBody: () => Readable): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const body = openBody();
    try {
      await s3.send(new PutObjectCommand({ ...input, Body: body }));
      return;
    } catch (error) {
      if (attempt >= maxAttempts || !isTransientFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    } finally {
      body.destroy();
    }
  }
}
