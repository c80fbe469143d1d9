import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Reads objects straight from a bucket, as a test checks what the pipeline wrote: undefined for a missing key. */
export function bucketObjects(s3: () => S3Client, bucket: () => string) {
  async function getObject(key: string): Promise<Buffer | undefined> {
    try {
      const object = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
  async function getJsonObject<T>(key: string): Promise<T | undefined> {
    const bytes = await getObject(key);
    return bytes && (JSON.parse(bytes.toString('utf8')) as T);
  }
  return { getObject, getJsonObject };
}
