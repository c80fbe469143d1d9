import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import { createS3rver } from './s3rverServer.js';
import type { ObjectEvent } from '../functions/adapters/events/index.js';

export interface EmbeddedEmulators {
  s3Endpoint: string;
  sqsEndpoint: string;
  /** Called for every object written or deleted in any bucket. */
  onObjectEvent(listener: (event: Omit<ObjectEvent, 'configurationId' | 'region'>) => void): void;
  stop(): Promise<void>;
}

/**
 * s3rver keeps objects on disk (they survive a restart) and reports object
 * events in-process; fauxqs speaks the SQS wire protocol with visibility
 * timeouts and dead-letter redrive, in memory.
 */
export async function startEmbeddedEmulators(options: { dataDir: string; s3Port: number; sqsPort: number }): Promise<EmbeddedEmulators> {
  const s3Directory = join(options.dataDir, 's3');
  await mkdir(s3Directory, { recursive: true });
  const s3rver = createS3rver({ address: '127.0.0.1', port: options.s3Port, silent: true, directory: s3Directory });
  const s3Address = await s3rver.run();
  const sqs = await startFauxqs({ port: options.sqsPort, host: '127.0.0.1', logger: false });
  let sequence = 0;

  return {
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    sqsEndpoint: `http://127.0.0.1:${sqs.port}`,
    onObjectEvent(listener) {
      s3rver.on('event', (notification) => {
        for (const record of notification.Records) {
          const created = record.eventName.startsWith('ObjectCreated:');
          // s3rver's own sequencer is a timestamp that can tie; this one strictly increases.
          sequence += 1;
          listener({
            eventName: record.eventName as ObjectEvent['eventName'],
            bucket: record.s3.bucket.name,
            // s3rver reports the raw key; AWS's URL encoding is applied when the notification is built.
            key: record.s3.object.key,
            eventTime: new Date(record.eventTime),
            size: created ? record.s3.object.size : undefined,
            eTag: created ? record.s3.object.eTag : undefined,
            sequencer: `${Date.now().toString(16).toUpperCase()}${sequence.toString(16).padStart(8, '0').toUpperCase()}`,
          });
        }
      });
    },
    async stop() {
      await Promise.allSettled([s3rver.close(), sqs.stop()]);
    },
  };
}
