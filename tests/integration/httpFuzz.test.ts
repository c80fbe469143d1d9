import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder } from '../../functions/domain/embed/index.js';
import { apiDepsForBucket } from '../../functions/handlers/api.js';
import { createApiHandler } from '../../functions/handlers/apiRequestHandler.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import {
  answerProblems,
  fuzzBodies,
  fuzzRequests,
  outsideSentinel,
  responseDeadlineMs,
  sendFuzzRequest,
  uploadSentinel,
  type Answer,
  type FuzzRequest,
} from '../helpers/httpFuzz.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/**
 * Bad input at the HTTP API: fast-check sends random methods, paths, headers
 * and bodies to the local server (API, items and viewer on one port) and
 * checks that every answer is a 2xx that is right or a 4xx with a sentence:
 * never a 5xx, a hang, a crash, or a byte from outside the bucket.
 */

/** How many generated requests one run sends. */
const REQUEST_COUNT = 1_000;
/** fast-check's seed: a failure prints its path, and the same seed replays it. */
const SEED = 20_260_701;
/** How many events go straight to the API handler, which takes what no HTTP client can send (raw NUL, unpaired surrogates, bad base64). */
const HANDLER_EVENT_COUNT = 500;

let pipeline: LocalPipeline;
let dataDir: string;
let port: number;
let itemId: string;
let previewKeys: string[];
/** The bodies a request may carry, by name. */
let namedBodies: Map<string, Buffer>;

const send = (sent: FuzzRequest) => sendFuzzRequest(port, namedBodies, sent);

async function readObject(key: string): Promise<Buffer | undefined> {
  const object = await pipeline.s3.send(new GetObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** The properties every answer must have (tests/helpers/httpFuzz.ts). */
async function checkAnswer(sent: FuzzRequest, answer: Answer): Promise<void> {
  expect(await answerProblems(sent, answer, readObject)).toEqual([]);
}

/** Still up: the catalog answers 200 with the items uploaded. */
async function catalogAnswers(): Promise<void> {
  const answer = await send({ method: 'GET', path: '/api/items', headers: {}, truncate: false });
  expect(answer !== 'hung up' && answer.status).toBe(200);
}

const get = (path: string, headers: Record<string, string> = {}) => send({ method: 'GET', path, headers, truncate: false });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'xr-http-fuzz-'));
  // A viewer of our own (the suite must not need `npm run build:viewer`), with a secret next to it.
  const viewerDir = join(dataDir, 'viewer');
  await mkdir(join(viewerDir, 'assets'), { recursive: true });
  await writeFile(join(viewerDir, 'index.html'), '<!doctype html><title>viewer</title>');
  await writeFile(join(viewerDir, 'assets', 'main.js'), 'console.log("viewer");');
  await writeFile(join(dataDir, 'outside.txt'), outsideSentinel);
  pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT', viewerDir });
  port = Number(new URL(pipeline.viewerUrl).port);
  const photo = await makeJpeg(640, 480);
  const second = await makePng(320, 240, '#30c060');
  itemId = itemIdForContent(photo);
  await pipeline.upload('uploads/fuzz/photo.jpg', photo);
  await pipeline.upload('uploads/fuzz/second.png', second);
  await pipeline.upload('uploads/fuzz/note.jpg', Buffer.from(`${uploadSentinel}\n`.repeat(50)));
  await pipeline.waitForIdle(120_000);
  const manifest = await pipeline.s3.send(new GetObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: itemKeys.manifest(itemId) }));
  previewKeys = ((JSON.parse(await manifest.Body!.transformToString()) as ItemManifest).previews ?? []).map((p) => p.key);
  namedBodies = await fuzzBodies();
  // s3rver keeps objects as files: plant one, metadata and all, outside the bucket's folder, where a key with `..` would reach.
  const s3Dir = join(dataDir, 's3');
  const bucketDir = join(s3Dir, pipeline.resources.mediaBucket, 'uploads', 'fuzz');
  const metadata = (await readdir(bucketDir)).find((name) => name.startsWith('note.jpg._S3rver_metadata'))!;
  for (const dir of [s3Dir, dataDir]) {
    await copyFile(join(bucketDir, metadata), join(dir, 'planted._S3rver_metadata.json'));
    await writeFile(join(dir, 'planted._S3rver_object'), outsideSentinel);
  }
}, 180_000);

afterAll(async () => {
  await pipeline?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('bad input at the local HTTP server', () => {
  it(`answers ${REQUEST_COUNT} random requests with a right 2xx or a 4xx sentence, never a 5xx, a hang or a foreign byte`, async () => {
    const fuzzRequest = fuzzRequests({ itemId, previewKeys, bodyNames: [...namedBodies.keys()] });
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (sent) => {
        const answer = await send(sent);
        if (answer !== 'hung up') await checkAnswer(sent, answer);
      }),
      { seed: SEED, numRuns: REQUEST_COUNT, endOnFailure: true },
    );
    await catalogAnswers();
  }, 240_000);
});

describe('bad input at the API handler', () => {
  it(`answers ${HANDLER_EVENT_COUNT} random Function URL events with a 2xx or a 4xx sentence`, async () => {
    const bucket = pipeline.resources.mediaBucket;
    const apiHandler = createApiHandler(
      apiDepsForBucket(
        new S3ObjectStore(pipeline.s3, bucket),
        new S3IndexStorage(pipeline.s3, bucket, 'emulated'),
        createDefaultEmbedder(),
      ),
      new Logger({ serviceName: 'api', logLevel: 'SILENT' }),
    );
    const text = fc.oneof(
      fc.string({ maxLength: 40, unit: 'binary' }),
      fc.constantFrom('', itemId, '..', '\u0000', '%ff', '9'.repeat(400)),
    );
    const rawPath = fc
      .tuple(
        fc.constantFrom('/api/items', `/api/items/${itemId}`, `/api/items/${itemId}/similar`, '/api/search', '/api/errors', '/api/'),
        fc.array(text, { maxLength: 3 }),
      )
      .map(([start, rest]) => [start, ...rest].join('/'));
    const event = fc.record({
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE'), fc.string({ maxLength: 8 })),
      rawPath,
      query: fc.dictionary(fc.constantFrom('k', 'limit', 'cursor', 'x'), text, { maxKeys: 3 }),
      headers: fc.dictionary(fc.constantFrom('content-type', 'content-length', 'content-encoding', 'accept'), text, { maxKeys: 2 }),
      body: fc.option(
        fc.oneof(text, fc.constantFrom(...[...namedBodies.keys()].map((name) => namedBodies.get(name)!.toString('base64')))),
        { nil: undefined },
      ),
      isBase64Encoded: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(event, async ({ method, rawPath, query, headers, body, isBase64Encoded }) => {
        const result = await apiHandler({
          version: '2.0',
          rawPath,
          rawQueryString: '',
          queryStringParameters: query,
          headers,
          requestContext: { http: { method, path: rawPath } },
          isBase64Encoded,
          ...(body === undefined ? {} : { body }),
        } as unknown as APIGatewayProxyEventV2);
        const what = `${method} ${rawPath.slice(0, 200)} → ${result.statusCode} ${result.body?.slice(0, 200)}`;
        expect(result.statusCode, what).toBeLessThan(500);
        if (result.statusCode! >= 400)
          expect((JSON.parse(result.body!) as { error: string }).error, what).toMatch(/[a-z]{2,}\W+[a-z]{2,}/i);
      }),
      { seed: SEED, numRuns: HANDLER_EVENT_COUNT, endOnFailure: true },
    );
  }, 120_000);
});

describe('bugs the fuzzing found', () => {
  it.each([
    ['/items/%00', 'a NUL in a key'],
    ['/items/%ff', 'a broken percent-encoding'],
    [`/items/${'a'.repeat(2000)}`, 'a key longer than S3 allows'],
    ['/items//x', 'an empty segment'],
  ])('answers GET %s (%s) with a 4xx sentence', async (path) => {
    const answer = await get(path);
    expect(answer).not.toBe('hung up');
    await checkAnswer({ method: 'GET', path, headers: {}, truncate: false }, answer as Answer);
  });

  it.each(['/items/..%2f..%2fplanted', '/items/..%2fuploads%2ffuzz%2fnote.jpg', '/items/..%2f..%2f..%2fplanted'])(
    'never reads outside items/ for %s',
    async (path) => {
      const answer = (await get(path)) as Answer;
      await checkAnswer({ method: 'GET', path, headers: {}, truncate: false }, answer);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    },
  );

  it.each([
    ['a pixel bomb', 'image/png'],
    ['a gzip bomb', 'image/jpeg'],
    ['a body over the API limit', 'image/jpeg'],
    ['JSON where an image is expected', 'application/json'],
    ['a truncated JPEG', 'image/jpeg'],
  ])('refuses %s at /api/search with a 4xx sentence, in time', async (bodyName, contentType) => {
    const sent = {
      method: 'POST',
      path: '/api/search?k=3',
      headers: { 'content-type': contentType, 'content-encoding': 'gzip' },
      body: bodyName,
      truncate: false,
    };
    const startedMs = performance.now();
    const answer = (await send(sent)) as Answer;
    await checkAnswer(sent, answer);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(performance.now() - startedMs).toBeLessThan(responseDeadlineMs);
  });

  it.each([
    ['GET', '//%5D%2Fx', 404, 'a path starting with // (once read as a URL naming a host)'],
    ['HEAD', '//%5D%2Fx', 404, 'the same, HEAD'],
    ['PUT', '/items/x/preview/thumb.webp', 405, 'a write to an item file (once a bare 405)'],
    ['POST', '/index.html', 405, "a write to the viewer's files (once served the file)"],
    ['FOO', '/api/items', 400, 'a method node does not parse (once a bare 400)'],
  ])('answers %s %s with a %i sentence: %s', async (method, path, status) => {
    const sent = { method, path, headers: {}, truncate: false };
    const answer = (await send(sent)) as Answer;
    await checkAnswer(sent, answer);
    expect(answer.status).toBe(status);
  });

  it('serves a viewer file whole for a range sirv cannot satisfy (once a negative Content-Length)', async () => {
    for (const range of ['bytes=5-1', 'bytes=-5', 'bytes=99999-'])
      expect(await get('/assets/main.js', { range })).toMatchObject({ status: 200, body: Buffer.from('console.log("viewer");') });
  });

  it('keeps answering after the checks', async () => {
    await catalogAnswers();
    expect(await readFile(join(dataDir, 'outside.txt'), 'utf8')).toBe(outsideSentinel);
  });
});
