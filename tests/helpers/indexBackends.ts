import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createS3rver } from '../../local/s3rverServer.js';
import { createS3Client, S3IndexStorage, type ConditionalWriteSupport } from '../../functions/adapters/store/index.js';
import type { IndexStorage, VqIndexConfig } from '../../functions/domain/vq/index.js';
import { afterAll, beforeAll } from 'vitest';
import { describeEachBackend, startMotoServer } from './motoServer.js';

/** The S3 backends the index is tested on: s3rver (conditions checked by the store) and moto_server (enforced by it). */
interface IndexBackend {
  name: string;
  support: ConditionalWriteSupport;
  start(): Promise<{ endpoint: string; stop(): Promise<void> }>;
  needsMotoServer?: boolean;
}

const indexBackends: IndexBackend[] = [
  {
    name: 's3rver (conditions checked by the store)',
    support: 'emulated',
    async start() {
      const directory = await mkdtemp(join(tmpdir(), 'xr-vq-s3rver-'));
      const server = createS3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
      const address = await server.run();
      return {
        endpoint: `http://127.0.0.1:${address.port}`,
        stop: async () => {
          await server.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
  { name: 'moto_server (conditions enforced by the server)', support: 'native', start: startMotoServer, needsMotoServer: true },
];

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A small index for storage tests: 16-d, lists of about 24, so a few hundred items make dozens of lists. */
export const testIndexDimension = 16;
export const testIndexConfig: Partial<VqIndexConfig> & { dimension: number } = {
  dimension: testIndexDimension,
  targetClusterSize: 24,
  repairPerInsert: 8,
  repairCandidates: 6,
};
export const testEmbedder = { name: 'test-embedder', version: '1', dimension: testIndexDimension };

/** A started backend handing out a fresh bucket per test. */
async function startIndexBackend(backend: IndexBackend) {
  const server = await backend.start();
  const s3: S3Client = createS3Client({ region: 'us-east-1', endpoint: server.endpoint, credentials });
  let bucketNumber = 0;
  return {
    s3,
    async freshStorage(): Promise<S3IndexStorage> {
      bucketNumber += 1;
      const bucket = `vq-test-${bucketNumber}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      return new S3IndexStorage(s3, bucket, backend.support);
    },
    async listKeys(storage: S3IndexStorage): Promise<string[]> {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: 'index/' }));
      return (page.Contents ?? []).map((object) => object.Key!).sort();
    },
    async stop() {
      s3.destroy();
      await server.stop();
    },
  };
}

type StartedIndexBackend = Awaited<ReturnType<typeof startIndexBackend>>;

/** `<title> on <backend>` for each index backend, the backend started once for the block and stopped after it. */
export function describeEachIndexBackend(
  title: string,
  body: (backend: Pick<StartedIndexBackend, 'freshStorage' | 'listKeys'>) => void,
): void {
  describeEachBackend(
    indexBackends,
    (name) => `${title} on ${name}`,
    (backend) => {
      let started: StartedIndexBackend | undefined;
      beforeAll(async () => {
        started = await startIndexBackend(backend);
      });
      afterAll(async () => {
        await started?.stop();
      });
      body({ freshStorage: () => started!.freshStorage(), listKeys: (storage) => started!.listKeys(storage) });
    },
  );
}

/** Every read and write a storage sees, as "<verb> <key>" (a range read adds " <start>-<end>"). */
export function recordingStorage(storage: IndexStorage): { storage: IndexStorage; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    storage: {
      get: (key) => (calls.push(`get ${key}`), storage.get(key)),
      getIfChanged: (key, etag) => (calls.push(`getIfChanged ${key}`), storage.getIfChanged(key, etag)),
      getRange: (key, start, end) => (calls.push(`getRange ${key} ${start}-${end}`), storage.getRange(key, start, end)),
      put: (key, bytes, contentType, condition) => (calls.push(`put ${key}`), storage.put(key, bytes, contentType, condition)),
      delete: (keys) => (calls.push(...keys.map((key) => `delete ${key}`)), storage.delete(keys)),
    },
  };
}
