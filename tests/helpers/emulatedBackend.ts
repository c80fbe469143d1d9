import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig } from '../../functions/config/index.js';
import { createS3Client, createSqsClient, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { ensureResources, startEmbeddedEmulators, type LocalResources, type VisibilityOverrides } from '../../local/index.js';

export interface EmulatedBackend {
  s3: S3Client;
  sqs: SQSClient;
  /** The media bucket and queues, created as the local mode creates them. */
  resources: LocalResources;
  /** The media bucket. */
  store: S3ObjectStore;
  /** Deletes every object in the media bucket. */
  emptyBucket(): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver and fauxqs on random ports, data in a temporary folder, with the pipeline's bucket and queues. */
export async function startEmulatedBackend(options: { visibilityTimeoutSeconds?: VisibilityOverrides } = {}): Promise<EmulatedBackend> {
  const { local } = pipelineConfig;
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-backend-'));
  const emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
  const credentials = { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey };
  const s3 = createS3Client({ region: local.region, credentials, endpoint: emulators.s3Endpoint });
  const sqs = createSqsClient({ region: local.region, credentials, endpoint: emulators.sqsEndpoint });
  const resources = await ensureResources(s3, sqs, options);
  const store = new S3ObjectStore(s3, resources.mediaBucket);
  return {
    s3,
    sqs,
    resources,
    store,
    async emptyBucket() {
      const keys: string[] = [];
      for await (const key of store.listKeys('')) keys.push(key);
      await store.deleteKeys(keys);
    },
    async stop() {
      s3.destroy();
      sqs.destroy();
      await emulators.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
