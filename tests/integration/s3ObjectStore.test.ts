import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedEmulators } from '../../local/embeddedEmulators.js';
import { createS3Client, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { describeEachBackend, startMotoServer } from '../helpers/motoServer.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const bucket = 'xr-store-test';
/** More than one page (S3 returns at most 1000 keys per listing). */
const keyCount = 1234;

const backends = [
  {
    name: 'embedded s3rver',
    async start() {
      const dataDir = await mkdtemp(join(tmpdir(), 'xr-store-'));
      const emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
      return {
        endpoint: emulators.s3Endpoint,
        stop: async () => {
          await emulators.stop();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  { name: 'moto_server', start: startMotoServer, needsMotoServer: true },
];

describeEachBackend(
  backends,
  (name) => `S3ObjectStore on ${name}`,
  (backend) => {
    let server: { endpoint: string; stop(): Promise<void> };
    let store: S3ObjectStore;
    const keys = Array.from({ length: keyCount }, (_, index) => `items/${String(index).padStart(5, '0')}/tile.webp`);

    beforeAll(async () => {
      server = await backend.start();
      const s3 = createS3Client({ region: 'us-east-1', credentials, endpoint: server.endpoint });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      store = new S3ObjectStore(s3, bucket);
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(keys.slice(start, start + 50).map((key) => store.put(key, 'x', { contentType: 'image/webp' })));
      }
      await store.put('other/outside.txt', 'x', { contentType: 'text/plain' });
    }, 120_000);

    afterAll(async () => server?.stop());

    it('lists every key under a prefix across pages, in order, once each', async () => {
      const listed: string[] = [];
      for await (const key of store.listKeys('items/')) listed.push(key);
      expect(listed).toEqual(keys);
    });

    it('pages folders by cursor without skipping or repeating', async () => {
      const folders: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listFolders('items/', 500, cursor);
        folders.push(...page.folders);
        cursor = page.nextCursor;
      } while (cursor);
      expect(folders).toEqual(keys.map((key) => key.split('/')[1]));
    });

    it('streams a file up and down byte for byte, and reads just the first bytes of an object', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'xr-store-files-'));
      try {
        const bytes = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 7919) % 251));
        await writeFile(join(dir, 'up.bin'), bytes);
        await store.putFile('streams/clip.bin', join(dir, 'up.bin'), { contentType: 'video/mp4' });
        expect((await store.head('streams/clip.bin'))?.bytes).toBe(bytes.length);
        expect(await store.downloadToFile('streams/clip.bin', join(dir, 'down.bin'))).toBe(true);
        expect((await readFile(join(dir, 'down.bin'))).equals(bytes)).toBe(true);
        expect(Buffer.from((await store.getHead('streams/clip.bin', 4096))!).equals(bytes.subarray(0, 4096))).toBe(true);
        expect(await store.getHead('streams/missing.bin', 4096)).toBeUndefined();
        expect(await store.downloadToFile('streams/missing.bin', join(dir, 'missing.bin'))).toBe(false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
