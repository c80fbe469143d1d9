import { createReadStream } from 'node:fs';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putStreamed } from '../functions/adapters/store/index.js';
import { pipelineConfig } from '../functions/config/index.js';
import { itemIdForFile } from '../functions/domain/items/index.js';
import type { FileToUpload } from './collectFiles.js';

/** S3's single PUT ceiling; the pipeline's own limits (pipelineConfig.image/video) are far below it. */
const maxSinglePutBytes = 5 * 1024 ** 3;
const { uploadAttempts, itemIdMetadataKey } = pipelineConfig.cli;

export interface UploadResult {
  file: FileToUpload;
  key: string;
  /** uploaded: sent now; skipped: the same bytes were already there (resumed run). */
  status: 'uploaded' | 'skipped' | 'failed';
  /** The item this upload becomes (content hash), unless it is rejected. */
  itemId?: string;
  error?: string;
}

export interface UploadOptions {
  s3: S3Client;
  bucket: string;
  keyPrefix: string;
  concurrency: number;
  /** Upload even when the same bytes are already under the key. */
  force?: boolean;
  onDone?: (result: UploadResult) => void;
}

/**
 * Uploads with bounded concurrency, streaming each file; one failed file never
 * stops the others. Resumable: a key that already holds the same size and
 * content hash is skipped, so re-running after an interruption sends only the rest.
 */
export async function uploadFiles(files: readonly FileToUpload[], options: UploadOptions): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++]!;
      const result = await uploadOne(file, options);
      results.push(result);
      options.onDone?.(result);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  return results;
}

async function uploadOne(file: FileToUpload, options: UploadOptions): Promise<UploadResult> {
  const key = `${options.keyPrefix}${file.relativeKey}`;
  try {
    if (file.bytes > maxSinglePutBytes) throw new Error(`${file.bytes} bytes is more than a single S3 PUT takes (5 GiB)`);
    const itemId = await itemIdForFile(file.path);
    if (!options.force && (await alreadyUploaded(options, key, file.bytes, itemId))) return { file, key, status: 'skipped', itemId };
    // Streamed, so the SDK will not retry it; putStreamed does, with a fresh stream.
    await putStreamed(
      options.s3,
      { Bucket: options.bucket, Key: key, ContentLength: file.bytes, Metadata: { [itemIdMetadataKey]: itemId } },
      () => createReadStream(file.path),
      uploadAttempts,
    );
    return { file, key, status: 'uploaded', itemId };
  } catch (error) {
    return { file, key, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

async function alreadyUploaded(options: UploadOptions, key: string, bytes: number, itemId: string): Promise<boolean> {
  try {
    const head = await options.s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }));
    return head.ContentLength === bytes && head.Metadata?.[itemIdMetadataKey] === itemId;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}
