import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { startEmbeddedEmulators, type EmbeddedEmulators } from '../../local/embeddedEmulators.js';
import { startFaultProxy, type FaultProxy, type NetworkFaultPlan } from '../../local/faultProxy.js';

/**
 * A GetObject's body is read after the SDK's call returns, outside its retries: a connection reset or cut
 * short midway used to fail the whole read ("aborted", ECONNRESET). Through the real fault proxy on s3rver.
 */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const bucket = 'xr-body-reads';
const key = 'items/abc/preview.bin';
const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 251));

let workDir: string;
let emulators: EmbeddedEmulators;
let proxy: FaultProxy | undefined;
let s3: S3Client | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'xr-body-reads-'));
  emulators = await startEmbeddedEmulators({ dataDir: workDir, s3Port: 0, sqsPort: 0 });
  const direct = createS3Client({ region: 'us-east-1', credentials, endpoint: emulators.s3Endpoint });
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  await direct.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  direct.destroy();
});

afterEach(async () => {
  s3?.destroy();
  await proxy?.stop();
});

afterAll(async () => {
  await emulators.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function throughProxy(plan: NetworkFaultPlan): Promise<{ store: S3ObjectStore; index: S3IndexStorage }> {
  proxy = await startFaultProxy({ service: 's3', upstream: emulators.s3Endpoint, plan });
  s3 = createS3Client({ region: 'us-east-1', credentials, endpoint: proxy.endpoint });
  return { store: new S3ObjectStore(s3, bucket), index: new S3IndexStorage(s3, bucket, 'emulated') };
}

it('reads every byte of an object whose body was cut short or reset midway, by every read of both stores', async () => {
  // Every other read is broken after the service answered, its body half sent: the retry meets a clean one.
  const { store, index } = await throughProxy({
    seed: 3,
    rates: {},
    eachOnce: { faults: ['truncate', 'truncate', 'truncate'], operations: ['read'] },
  });
  const file = join(workDir, 'downloaded.bin');
  expect(Buffer.from((await store.getBytes(key))!)).toEqual(bytes);
  expect(Buffer.from((await store.getHead(key, 1000))!)).toEqual(bytes.subarray(0, 1000));
  expect(await store.downloadToFile(key, file)).toBe(true);
  expect(await readFile(file)).toEqual(bytes);
  proxy!.setRates({ read: { reset: 0.3 } });
  for (let round = 0; round < 4; round += 1) {
    expect(Buffer.from((await index.get(key))!.bytes)).toEqual(bytes);
    expect(Buffer.from((await index.getRange(key, 100, 5000))!)).toEqual(bytes.subarray(100, 5000));
  }
  expect(proxy!.stats().injected.read.truncate).toBe(3);
  expect(proxy!.stats().injected.read.reset).toBeGreaterThan(0);
});

it('gives up, with the transient error, when every read is cut short', async () => {
  const { store } = await throughProxy({ seed: 4, rates: { read: { truncate: 1 } } });
  await expect(store.getBytes(key)).rejects.toMatchObject({ code: 'ECONNRESET' });
  // Three tries in all, as the SDK makes of a request it can replay.
  expect(proxy!.stats().requests.read).toBe(3);
});
