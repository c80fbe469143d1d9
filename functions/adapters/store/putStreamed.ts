import type { Readable } from 'node:stream';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';

/** Tries in all, as the SDK's own default (maxAttempts 3) for a body it can replay. */
const maxAttempts = 3;
const baseDelayMs = 100;

const transientCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const throttlingNames = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'TimeoutError']);

/** What the SDK would retry: a reset or timed-out connection, throttling, a 5xx. */
function isTransient(error: unknown): boolean {
  for (
    let current = error as { code?: unknown; name?: unknown; cause?: unknown; $metadata?: { httpStatusCode?: number } } | undefined,
      depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth += 1
  ) {
    if (typeof current.code === 'string' && transientCodes.has(current.code)) return true;
    if (typeof current.name === 'string' && throttlingNames.has(current.name)) return true;
    const status = current.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429)) return true;
  }
  return false;
}

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
      if (attempt >= maxAttempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    } finally {
      body.destroy();
    }
  }
}
