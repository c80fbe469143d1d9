import { readFile } from 'node:fs/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { itemIdForContent } from '../functions/items/index.js';
import type { FileToUpload } from './collectFiles.js';

export interface UploadResult {
  file: FileToUpload;
  key: string;
  /** The item this upload will become (content hash), unless it is rejected. */
  itemId?: string;
  error?: string;
}

export interface UploadOptions {
  s3: S3Client;
  bucket: string;
  keyPrefix: string;
  concurrency: number;
  onDone?: (result: UploadResult) => void;
}

/** Uploads with bounded concurrency; one failed file never stops the others. */
export async function uploadFiles(files: readonly FileToUpload[], options: UploadOptions): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const file = files[next++]!;
      const key = `${options.keyPrefix}${file.relativeKey}`;
      let result: UploadResult;
      try {
        const body = await readFile(file.path);
        await options.s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: body }));
        result = { file, key, itemId: itemIdForContent(body) };
      } catch (error) {
        result = { file, key, error: error instanceof Error ? error.message : String(error) };
      }
      results.push(result);
      options.onDone?.(result);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  return results;
}
