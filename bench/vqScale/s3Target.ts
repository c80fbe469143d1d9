import { createS3Client, S3IndexStorage } from '../../functions/adapters/store/index.js';

/** The emulator the bench writes to (directly) or reads through (the latency proxy). */
export interface S3Target {
  endpoint: string;
  bucket: string;
}

export function indexStorageFor(target: S3Target): S3IndexStorage {
  const s3 = createS3Client({
    region: 'us-east-1',
    endpoint: target.endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return new S3IndexStorage(s3, target.bucket, 'emulated');
}
