import { GetObjectCommand, type GetObjectCommandInput, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { retryTransient } from './retryTransient.js';

/**
 * A GetObject read whole, the request made again when the connection fails while the body is read. The SDK
 * retries a GetObject only until the response headers arrive: the body is read after the call has returned, so a
 * connection reset or cut short midway ("aborted", ECONNRESET) reached the caller as a failure of the whole
 * operation — a handler's record, a reconciliation sweep, an API query. Reads are idempotent.
 */
export function getObjectBytes(
  s3: S3Client,
  input: GetObjectCommandInput,
): Promise<{ bytes: Uint8Array; output: Omit<GetObjectCommandOutput, 'Body'> }> {
  return retryTransient(async () => {
    const { Body, ...output } = await s3.send(new GetObjectCommand(input));
    return { bytes: Body ? await Body.transformToByteArray() : new Uint8Array(), output };
  });
}
