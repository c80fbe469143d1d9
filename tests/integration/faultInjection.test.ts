import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import {
  createFaultInjection,
  noFaults,
  WorkerKilledError,
  type FaultPlan,
  type SqsHandler,
} from '../../functions/adapters/faults/index.js';
import { createIngestHandler } from '../../functions/handlers/ingestWorker.js';
import {
  getJson,
  itemIdForContent,
  itemKeys,
  type ErrorRecord,
  type ItemManifest,
  type ObjectStore,
} from '../../functions/domain/items/index.js';
import { startEmulatedBackend, type EmulatedBackend } from '../helpers/emulatedBackend.js';
import { sqsEvent, testContext, uploadCreatedRecord } from '../helpers/sqsEvents.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * The fault switch over a real store on s3rver. The workload handler writes a
 * few objects per record, as the pipeline's handlers do, through Powertools'
 * batch processor, so crashes, kills and injected records meet the same
 * partial-batch machinery.
 */
describe('the fault switch', () => {
  let backend: EmulatedBackend;
  let bucket: string;
  let store: ObjectStore;

  beforeAll(async () => {
    backend = await startEmulatedBackend();
    store = backend.store;
    bucket = backend.resources.mediaBucket;
  });
  afterAll(() => backend?.stop());
  beforeEach(() => backend.emptyBucket());

  /**
   * Writes `writesPerRecord` objects per record under its message id, one
   * record after another as the pipeline's handlers do; records the switch
   * injected are only remembered, as ingest writes nothing for a test event.
   */
  function workload(handlerStore: ObjectStore, writesPerRecord: number, seenBodies: string[] = []): SqsHandler {
    const processor = new BatchProcessor(EventType.SQS);
    return (event, context) =>
      processPartialResponse(
        event,
        async (record: SQSRecord) => {
          seenBodies.push(record.body);
          if (record.messageId.startsWith('fault-injected-')) return;
          for (let write = 1; write <= writesPerRecord; write += 1) {
            await handlerStore.put(`work/${record.messageId}/${write}`, String(write), { contentType: 'text/plain' });
          }
        },
        processor,
        { context, processInParallel: false, throwOnFullBatchFailure: false },
      );
  }
  const records = (count: number, round: number) =>
    Array.from({ length: count }, (_, index) =>
      uploadCreatedRecord(bucket, `uploads/r${round}-${index}.jpg`, { messageId: `r${round}-${index}` }),
    );

  async function objectsUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of store.listKeys(prefix)) keys.push(key);
    return keys.sort();
  }

  it('crashes about as often as planned, and each mode fails what it should', async () => {
    const plan: FaultPlan = { ...noFaults, seed: 42, crashRate: 0.3, crashWithinWrites: 6, testEventRate: 0.2, unknownMessageRate: 0.2 };
    const faults = createFaultInjection(plan);
    const seen: string[] = [];
    const handler = faults.wrapHandler(workload(faults.wrapStore(store), 3, seen));
    let killed = 0;
    let recordFailures = 0;
    const invocations = 300;
    for (let round = 0; round < invocations; round += 1) {
      try {
        const response = await handler(sqsEvent(...records(1, round)), testContext());
        recordFailures += response.batchItemFailures.length;
        for (const failure of response.batchItemFailures) expect(failure.itemIdentifier).toBe(`r${round}-0`);
      } catch (error) {
        expect(error).toBeInstanceOf(WorkerKilledError);
        killed += 1;
      }
    }
    const stats = faults.stats();
    expect(stats.invocations).toBe(invocations);
    // Binomial(300, 0.3): mean 90, standard deviation 8.
    expect(stats.crashes).toBeGreaterThan(60);
    expect(stats.crashes).toBeLessThan(120);
    expect(stats.kills).toBe(killed);
    expect(stats.crashes - stats.kills).toBe(recordFailures);
    expect(stats.testEvents).toBeGreaterThan(30);
    expect(stats.unknownMessages).toBeGreaterThan(30);
    expect(seen.filter((body) => body.includes('s3:TestEvent'))).toHaveLength(stats.testEvents);
  });

  it('a killed worker writes nothing after the kill and fails the whole batch', async () => {
    const faults = createFaultInjection({ ...noFaults, crashAfterWrite: 2, crashModes: ['kill'] });
    const handler = faults.wrapHandler(workload(faults.wrapStore(store), 5));
    await expect(handler(sqsEvent(...records(3, 0)), testContext())).rejects.toBeInstanceOf(WorkerKilledError);
    expect(await objectsUnder('work/')).toEqual(['work/r0-0/1', 'work/r0-0/2']);
  });

  it('a thrown crash fails only the record it hit', async () => {
    const faults = createFaultInjection({ ...noFaults, crashAfterWrite: 2, crashModes: ['throw'] });
    const handler = faults.wrapHandler(workload(faults.wrapStore(store), 5));
    const response = await handler(sqsEvent(...records(3, 0)), testContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'r0-0' }]);
    expect(await objectsUnder('work/r0-1/')).toHaveLength(5);
    expect(await objectsUnder('work/r0-2/')).toHaveLength(5);
  });

  it('replays the same faults from the same seed', async () => {
    const outcomes = async () => {
      const faults = createFaultInjection({ ...noFaults, seed: 9, crashRate: 0.5, crashWithinWrites: 4 });
      const handler = faults.wrapHandler(workload(faults.wrapStore(store), 2));
      const seen: string[] = [];
      for (let round = 0; round < 40; round += 1) {
        seen.push(
          await handler(sqsEvent(...records(1, round)), testContext()).then(
            (response) => `failed ${response.batchItemFailures.length}`,
            (error: Error) => error.message,
          ),
        );
      }
      return seen;
    };
    const first = await outcomes();
    expect(new Set(first).size).toBeGreaterThan(2);
    expect(await outcomes()).toEqual(first);
  });

  it('injected s3:TestEvent and unknown messages reach the real ingest handler: ignored, one error record, never reported to the queue', async () => {
    const photo = await makeJpeg(160, 120);
    const key = 'uploads/faults/photo.jpg';
    await store.put(key, photo, { contentType: 'image/jpeg' });
    const faults = createFaultInjection({ ...noFaults, testEventRate: 1, unknownMessageRate: 1 });
    const ingest = createIngestHandler({
      store: faults.wrapStore(store),
      limits: pipelineConfig.image,
      maxReceiveCount: pipelineConfig.ingest.maxReceiveCount,
      logger: new Logger({ serviceName: 'ingest', logLevel: 'SILENT' }),
    });
    const response = await faults.wrapHandler(ingest)(sqsEvent(uploadCreatedRecord(bucket, key)), testContext());
    expect(response.batchItemFailures).toEqual([]);
    expect(await getJson<ItemManifest>(store, itemKeys.manifest(itemIdForContent(photo)))).toMatchObject({ status: 'ready' });
    const errors = await objectsUnder(pipelineConfig.prefixes.errors);
    expect(errors).toHaveLength(1);
    const record = await getJson<ErrorRecord>(store, errors[0]!);
    expect(record).toMatchObject({
      code: 'unrecognised-message',
      key: expect.stringMatching(/^\(ingest queue message fault-injected-unknown-\d+\)$/),
    });
  });
});
