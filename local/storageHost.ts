import { pipelineConfig } from '../functions/config/index.js';
import type { FaultPlan } from '../functions/adapters/faults/index.js';
import { createS3Client, createSqsClient } from '../functions/adapters/store/index.js';
import { startEmbeddedEmulators } from './embeddedEmulators.js';
import { ensureResources, type LocalResources, type VisibilityOverrides } from './ensureResources.js';
import { createLocalFaults } from './localFaults.js';
import { deliverObjectEvents } from './objectEventDelivery.js';

export interface StorageHost {
  s3Endpoint: string;
  sqsEndpoint: string;
  resources: LocalResources;
  /** Object events not yet on the ingest queue. */
  pendingEvents(): number;
  stop(): Promise<void>;
}

/**
 * The storage as AWS is to the pipeline: the embedded S3 and SQS, the bucket and queues, and S3's delivery of its
 * events to the ingest queue, in the caller's process. A pipeline started with `storage` (startPipelineProcess) in
 * a process of its own can then be killed whole, as a machine dies, while S3 and SQS stay up, as they do on AWS.
 */
export async function startStorageHost(options: {
  dataDir: string;
  visibilityTimeoutSeconds?: VisibilityOverrides;
  /** A fault plan's `deliveries`: each event sent min..max times (seeded); once when absent. */
  faults?: FaultPlan;
  log?: (line: string) => void;
}): Promise<StorageHost> {
  const { local } = pipelineConfig;
  const emulators = await startEmbeddedEmulators({ dataDir: options.dataDir, s3Port: 0, sqsPort: 0 });
  const credentials = { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey };
  const s3 = createS3Client({ region: local.region, credentials, endpoint: emulators.s3Endpoint });
  const sqs = createSqsClient({ region: local.region, credentials, endpoint: emulators.sqsEndpoint });
  const resources = await ensureResources(s3, sqs, { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
  const faults = createLocalFaults(options.faults);
  const delivery = deliverObjectEvents(emulators, sqs, resources, {
    copies: () => faults.deliveries(),
    log: options.log ?? (() => undefined),
  });
  return {
    s3Endpoint: emulators.s3Endpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    resources,
    pendingEvents: () => delivery.pending(),
    async stop() {
      s3.destroy();
      sqs.destroy();
      await emulators.stop();
    },
  };
}
