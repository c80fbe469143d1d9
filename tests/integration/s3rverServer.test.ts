import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../functions/adapters/store/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { createS3rver } from '../../local/s3rverServer.js';

/** The local mode's s3rver, whose PutObject is answered only once the object is whole (local/s3rverServer.ts). */
describe('s3rver as the local mode runs it', () => {
  const bucket = 'whole-objects';
  let directory: string;
  let server: ReturnType<typeof createS3rver>;
  let s3: S3Client;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'xr-s3rver-'));
    server = createS3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    s3 = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: pipelineConfig.local.region,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const read = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return { bytes: Buffer.from(await object.Body!.transformToByteArray()), etag: object.ETag };
  };

  it('serves every overwrite whole, with its MD5 as the ETag, as soon as its PUT is answered', async () => {
    for (let version = 0; version < 30; version += 1) {
      // Sizes go up and down, so a half-written file could not pass for a whole one.
      const body = randomBytes(version % 2 === 0 ? 200_000 + version * 1000 : 300 + version);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'index/s0/manifest.json', Body: body }));
      const { bytes, etag } = await read('index/s0/manifest.json');
      expect(bytes.equals(body)).toBe(true);
      expect(etag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    }
  });

  it('lists only whole objects while an upload is still arriving', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'folder/first', Body: 'first' }));
    const slowBody = new PassThrough();
    const chunks = [randomBytes(64 * 1024), randomBytes(64 * 1024)];
    const upload = s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'folder/second', Body: slowBody, ContentLength: chunks[0]!.length + chunks[1]!.length }),
    );
    slowBody.write(chunks[0]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'folder/' }));
    expect(during.Contents?.map((object) => object.Key)).toEqual(['folder/first']);
    slowBody.end(chunks[1]);
    await upload;
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'folder/' }));
    expect(after.Contents?.map((object) => object.Key)).toEqual(['folder/first', 'folder/second']);
    expect((await read('folder/second')).bytes.equals(Buffer.concat(chunks))).toBe(true);
  });
});
