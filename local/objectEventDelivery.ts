import type { SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig } from '../functions/config/index.js';
import { SqsUploadEventQueue } from '../functions/adapters/store/index.js';
import type { EmbeddedEmulators } from './embeddedEmulators.js';
import type { LocalResources } from './ensureResources.js';

export interface ObjectEventDelivery {
  /** Events reported by the emulated S3 and not yet on the queue. */
  pending(): number;
}

/**
 * What S3 does inside AWS: each object event under uploads/ of the media bucket becomes an S3 event notification
 * on the ingest queue, `copies()` times (at least once, as SQS delivers; a fault plan may say more). Runs wherever
 * the emulators run: in the local pipeline's process, or beside the emulators when the pipeline has a process of its own.
 */
export function deliverObjectEvents(
  emulators: EmbeddedEmulators,
  sqs: SQSClient,
  resources: LocalResources,
  options: { copies: () => number; log: (line: string) => void },
): ObjectEventDelivery {
  let pending = 0;
  const uploadEvents = new SqsUploadEventQueue(sqs, resources.queues.ingest.work.url, {
    region: pipelineConfig.local.region,
    bucket: resources.mediaBucket,
    configurationId: 'ingest-uploads',
  });
  emulators.onObjectEvent((event) => {
    if (event.bucket !== resources.mediaBucket || !event.key.startsWith(pipelineConfig.prefixes.uploads)) return;
    pending += 1;
    (async () => {
      for (let copies = options.copies(); copies > 0; copies -= 1) await uploadEvents.send(event);
    })()
      .catch((error: unknown) => options.log(`could not enqueue the event for ${event.key}: ${String(error)}`))
      .finally(() => (pending -= 1));
  });
  return { pending: () => pending };
}
