import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { apiDepsForBucket } from '../../functions/handlers/api.js';
import { createApiHandler } from '../../functions/handlers/apiRequestHandler.js';
import { createIngestHandler } from '../../functions/handlers/ingestWorker.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { createDefaultEmbedder } from '../../functions/domain/embed/index.js';
import { createPipelineMetrics, metricNames, retryableFailure } from '../../functions/adapters/observability/index.js';
import { createS3Client, S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { startEmbeddedEmulators, type EmbeddedEmulators } from '../../local/index.js';
import { sqsEvent, testContext, uploadCreatedRecord } from '../helpers/sqsEvents.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * The ingest and API handlers as Lambda runs them, on s3rver: what they write to stdout is
 * (with stderr) what CloudWatch Logs receives. Every line must be JSON; log lines carry the
 * request id and the upload's key (and its item id once known); metrics arrive
 * as embedded-metric-format documents CloudWatch turns into metrics.
 */
const bucket = 'xr-telemetry';
const foveation = { ...pipelineConfig.foveation, profiles: ['quest-3'] };

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

function isEmf(line: Record<string, unknown>): line is EmfDocument {
  return typeof line._aws === 'object';
}

describe('handler logs and metrics', () => {
  let dataDir: string;
  let emulators: EmbeddedEmulators;
  let s3: S3Client;
  let output: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-telemetry-'));
    emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
    s3 = createS3Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      endpoint: emulators.s3Endpoint,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  afterAll(async () => {
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    output = [];
    // Lambda sends both streams to CloudWatch Logs (Powertools writes warnings and errors to stderr).
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  const handlerFor = (store: S3ObjectStore) =>
    createIngestHandler({
      store,
      limits: pipelineConfig.image,
      foveation,
      maxReceiveCount: pipelineConfig.ingest.maxReceiveCount,
      logger: new Logger({ serviceName: 'ingest', logLevel: 'INFO' }),
      metrics: createPipelineMetrics('ingest'),
    });
  const jsonLines = () =>
    output
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('logs JSON with the request id, upload key and item id, and publishes ItemsProcessed, Errors by reason and ProcessingMs', async () => {
    const photo = await makeJpeg(240, 160);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/good.jpg', Body: photo }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/bad.jpg', Body: 'plain text' }));
    const context = { ...testContext(), awsRequestId: 'request-1' };
    const event = sqsEvent(
      uploadCreatedRecord(bucket, 'uploads/good.jpg', { messageId: 'm-good' }),
      uploadCreatedRecord(bucket, 'uploads/bad.jpg', { messageId: 'm-bad' }),
    );
    const response = await handlerFor(new S3ObjectStore(s3, bucket))(event, context);
    expect(response.batchItemFailures).toEqual([]);

    const lines = jsonLines();
    const logs = lines.filter((line) => !isEmf(line));
    const created = logs.find((line) => line.message === 'created: created');
    expect(created).toMatchObject({
      level: 'INFO',
      service: 'ingest',
      function_request_id: 'request-1',
      function_name: 'ingest',
      uploadKey: 'uploads/good.jpg',
      messageId: 'm-good',
      itemId: itemIdForContent(photo),
    });
    const rejected = logs.find((line) => line.message === 'created: rejected');
    expect(rejected).toMatchObject({
      function_request_id: 'request-1',
      uploadKey: 'uploads/bad.jpg',
      messageId: 'm-bad',
      code: 'unsupported-type',
    });
    // The first record's item id does not leak onto the next record's lines.
    expect(rejected).not.toHaveProperty('itemId');

    const emf = lines.filter(isEmf);
    const namespaces = new Set(emf.flatMap((document) => document._aws.CloudWatchMetrics.map((directive) => directive.Namespace)));
    expect([...namespaces]).toEqual([pipelineConfig.monitoring.metricsNamespace]);
    const errors = emf.find((document) => document[metricNames.errors] !== undefined);
    expect(errors).toMatchObject({ [metricNames.errors]: 1, reason: 'unsupported-type', service: 'ingest' });
    expect(errors!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'reason']]);
    const batch = emf.find((document) => document[metricNames.itemsProcessed] !== undefined);
    expect(batch).toMatchObject({ [metricNames.itemsProcessed]: 1, service: 'ingest' });
    expect(batch![metricNames.processingMs]).toHaveLength(2);
    expect(batch!._aws.CloudWatchMetrics[0]!.Metrics).toEqual(
      expect.arrayContaining([
        { Name: metricNames.processingMs, Unit: 'Milliseconds' },
        { Name: metricNames.itemsProcessed, Unit: 'Count' },
      ]),
    );
  });

  it('counts a failure the queue will retry, and logs it with the upload key', async () => {
    // S3 that does not answer: the stopped emulator's port.
    const silent = await startEmbeddedEmulators({ dataDir: join(dataDir, 'silent'), s3Port: 0, sqsPort: 0 });
    await silent.stop();
    const unreachable = new S3ObjectStore(
      createS3Client({
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        endpoint: silent.s3Endpoint,
      }),
      bucket,
    );
    const context = { ...testContext(), awsRequestId: 'request-2' };
    const response = await handlerFor(unreachable)(sqsEvent(uploadCreatedRecord(bucket, 'uploads/x.jpg', { messageId: 'm-x' })), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-x' }]);

    const lines = jsonLines();
    expect(lines.find((line) => line.level === 'ERROR')).toMatchObject({
      function_request_id: 'request-2',
      uploadKey: 'uploads/x.jpg',
      messageId: 'm-x',
      message: 'created: failed; the queue will retry it',
    });
    expect(lines.filter(isEmf).find((document) => document[metricNames.errors] !== undefined)).toMatchObject({
      reason: retryableFailure,
      [metricNames.errors]: 1,
    });
  });

  it('logs each API request with the request id, the path, its item id and the status', async () => {
    const store = new S3ObjectStore(s3, bucket);
    const api = createApiHandler(
      apiDepsForBucket(store, new S3IndexStorage(s3, bucket, 'emulated'), createDefaultEmbedder()),
      new Logger({ serviceName: 'api', logLevel: 'INFO' }),
    );
    const itemId = 'f'.repeat(32);
    const event = {
      version: '2.0',
      rawPath: `/api/items/${itemId}`,
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: `/api/items/${itemId}` } },
      isBase64Encoded: false,
    } as unknown as Parameters<typeof api>[0];
    const response = await api(event, { ...testContext('api'), awsRequestId: 'request-3' });
    expect(response.statusCode).toBe(404);
    expect(jsonLines().find((line) => line.message === 'request')).toMatchObject({
      service: 'api',
      function_request_id: 'request-3',
      method: 'GET',
      path: `/api/items/${itemId}`,
      itemId,
      status: 404,
    });
  });
});
