import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { createDefaultEmbedder } from '../../functions/domain/embed/index.js';
import { apiDepsForBucket } from '../../functions/handlers/api.js';
import { createApiHandler } from '../../functions/handlers/apiRequestHandler.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { decompressionBombPng, truncatedJpeg } from '../helpers/hostileFiles.js';
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
/** Longer than this is a hang. */
const RESPONSE_DEADLINE_MS = 5_000;

/** Text that must never come back: planted outside the bucket, in an upload, or any host file. */
const outsideSentinel = 'SENTINEL-OUTSIDE-THE-BUCKET-7f3a';
const uploadSentinel = 'SENTINEL-IN-AN-UPLOAD-91c2';
const forbiddenMarkers = [outsideSentinel, uploadSentinel, 'root:x:0:0', '"name": "xr-media-pipeline"', '"devDependencies"'];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** A name from `namedBodies`, or `hex:` and random bytes; printed short when a run fails. */
  body?: string | undefined;
  /** Declare more bytes than are sent, then hang up: a truncated upload (no answer is expected). */
  truncate: boolean;
}

let pipeline: LocalPipeline;
let dataDir: string;
let port: number;
let itemId: string;
let previewKeys: string[];
/** The bodies a request may carry, by name. */
const namedBodies = new Map<string, Buffer>();

const bodyBytes = (body: string | undefined): Buffer | undefined =>
  body === undefined ? undefined : body.startsWith('hex:') ? Buffer.from(body.slice(4), 'hex') : namedBodies.get(body);

/** One request over its own socket, the path exactly as given (no URL normalisation). */
function send({ method, path, headers, body: bodyName, truncate }: FuzzRequest): Promise<Answer | 'hung up'> {
  const body = bodyBytes(bodyName);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no answer within ${RESPONSE_DEADLINE_MS} ms to ${method} ${path.slice(0, 200)}`));
    }, RESPONSE_DEADLINE_MS);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      if (truncate) resolve('hung up');
      else reject(error);
    });
    if (truncate) {
      outgoing.setHeader('content-length', String((body?.byteLength ?? 0) + 1000));
      outgoing.write(body ?? Buffer.from('x'));
      setTimeout(() => {
        clearTimeout(timer);
        outgoing.destroy();
        resolve('hung up');
      }, 30);
      return;
    }
    // Framed by its length, so a GET, HEAD or DELETE (which node sends unchunked) carries its body as a body.
    if (body) outgoing.setHeader('content-length', String(body.byteLength));
    outgoing.end(body);
  });
}

/** The properties every answer must have. */
async function checkAnswer(sent: FuzzRequest, answer: Answer): Promise<void> {
  const what = `${sent.method} ${sent.path.slice(0, 300)} → ${answer.status} ${answer.body.toString('utf8', 0, 300)}`;
  expect(answer.status, what).toBeGreaterThanOrEqual(200);
  expect(answer.status, what).toBeLessThan(500);
  const text = answer.body.toString('latin1');
  for (const marker of forbiddenMarkers) expect(text.includes(marker), `${what}: body holds ${marker}`).toBe(false);
  if (answer.status >= 400 && sent.method !== 'HEAD') {
    const contentType = String(answer.headers['content-type'] ?? '');
    const sentence = contentType.startsWith('application/json')
      ? String((JSON.parse(answer.body.toString('utf8')) as { error?: unknown }).error ?? '')
      : answer.body.toString('utf8');
    expect(sentence, `${what}: a 4xx says what is wrong in words`).toMatch(/[a-z]{2,}\W+[a-z]{2,}/i);
  }
  // A 2xx from items/ is that object of the bucket, byte for byte.
  if (answer.status < 300 && sent.method === 'GET' && new URL(sent.path, 'http://x').pathname.startsWith('/items/')) {
    const key = decodeURIComponent(new URL(sent.path, 'http://x').pathname.slice(1));
    const object = await pipeline.s3.send(new GetObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }));
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    if (answer.status === 200) expect(answer.body.equals(stored), what).toBe(true);
    else expect(stored.includes(answer.body), what).toBe(true);
  }
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
  const limit = pipelineConfig.vq.query.maxImageBytes;
  const bodies = {
    'a real photo': await makeJpeg(320, 240, '#3060c0'),
    'a body over the API limit': Buffer.alloc(limit + 4096, 0xab),
    'a truncated JPEG': await truncatedJpeg(),
    // 64 MB of zeros in 64 KB, declared gzip or not: nothing may inflate it.
    'a gzip bomb': gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }),
    // Over the ingest limit of pixels and under sharp's own.
    'a pixel bomb': decompressionBombPng(12_000),
    'JSON where an image is expected': Buffer.from(JSON.stringify({ image: 'data:image/jpeg;base64,AAAA', k: 3 })),
  };
  for (const [name, bytes] of Object.entries(bodies)) namedBodies.set(name, bytes);
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
    const id = fc.constantFrom(itemId, '0'.repeat(32), itemId.toUpperCase(), `${itemId}0`, 'not-an-id');
    const overlong = 'a'.repeat(10_000);
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '',
        '%2e%2e',
        '%2E%2E%2F',
        '..%2f..%2fplanted',
        '..%2f..%2f..%2fplanted',
        '..%2fuploads%2ffuzz%2fnote.jpg',
        '%2F',
        '%5c..%5c',
        '\\..\\',
        '%00',
        '%ff',
        '%',
        '%zz',
        '%C0%AE%C0%AE',
        'etc',
        'passwd',
        'outside.txt',
        'manifest.json',
        'preview',
        'similar',
        'index.html',
        '%E2%80%AE%F0%9F%98%80',
        overlong,
      ),
      id,
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const base = fc.constantFrom(
      '/api/items',
      `/api/items/${itemId}`,
      `/api/items/${itemId}/similar`,
      '/api/search',
      '/api/errors',
      '/api/',
      '/api',
      `/items/${itemId}/manifest.json`,
      ...previewKeys.map((key) => `/${key}`),
      '/items/',
      '/items',
      '/items/../../etc/passwd',
      '/items/%2e%2e/%2e%2e/outside.txt',
      '/',
      '/index.html',
      '/assets/main.js',
      '/auth/login',
      '//items',
    );
    const queryValue = fc.oneof(
      fc.constantFrom('', '3', '0', '-1', '1e3', '1.5', 'NaN', '99999999999999999999', '%ff', '%00', '%E2%98%83', overlong, itemId),
      fc.string({ maxLength: 8 }).map(encodeURIComponent),
    );
    const query = fc.option(
      fc
        .array(fc.tuple(fc.constantFrom('k', 'limit', 'cursor', 'x', '', '%ff'), queryValue), { maxLength: 3 })
        .map((pairs) => `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`),
      { nil: '' },
    );
    const path = fc
      .tuple(
        base,
        fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.constantFrom('/', '//'), segment), { minLength: 1, maxLength: 4 })),
        query,
      )
      .map(([start, rest, search]) => `${start}${rest.map(([slash, piece]) => `${slash}${piece}`).join('')}${search}`);
    const method = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST') },
      { weight: 3, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS') },
      // Node's parser knows the methods of HTTP and WebDAV: any other token is refused before the server sees it.
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('PROPFIND', 'MKCOL', 'TRACE', 'PURGE'), fc.stringMatching(/^[A-Z]{2,10}$/)) },
    );
    const headerValues = {
      'content-type': fc.constantFrom(
        'image/jpeg',
        'image/png',
        'application/octet-stream',
        'application/json',
        'text/plain',
        'multipart/form-data; boundary=',
        'image/jpeg; charset=%%%',
        ';;;',
        'image/',
      ),
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity, gzip', 'x-bogus'),
      range: fc.constantFrom('bytes=0-10', 'bytes=5-1', 'bytes=abc', 'bytes=0-0,5-9', 'items=0-1', 'bytes=99999999999-', 'bytes=-5'),
      accept: fc.constantFrom('*/*', 'application/json', 'image/*', '', 'text/html;q=x'),
      cookie: fc.constantFrom('CloudFront-Policy=%%%', 'a=b; c', '='),
    };
    // Up to three of them, most often none or one.
    const headers = fc
      .subarray(Object.keys(headerValues) as (keyof typeof headerValues)[], { maxLength: 3 })
      .chain(
        (names) => fc.record(Object.fromEntries(names.map((name) => [name, headerValues[name]]))) as fc.Arbitrary<Record<string, string>>,
      );
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => `hex:${Buffer.from(bytes).toString('hex')}`) },
      { weight: 3, arbitrary: fc.constantFrom(...namedBodies.keys()) },
    );
    // One request in twenty declares more body than it sends and hangs up.
    const truncate = fc.integer({ min: 0, max: 19 }).map((die) => die === 0);
    const wild: fc.Arbitrary<FuzzRequest> = fc.record({ method, path, headers, body, truncate });
    // As a client would ask, with one thing wrong at most: the routes' own checks get their turn.
    const plausible: fc.Arbitrary<FuzzRequest> = fc
      .record({
        start: fc.oneof({ weight: 1, arbitrary: fc.constant('/api/search') }, { weight: 3, arbitrary: base }),
        search: query,
        headers,
        body,
        head: fc.boolean(),
        truncate,
      })
      .map(({ start, search, headers, body, head, truncate }) => ({
        method: start === '/api/search' ? 'POST' : head ? 'HEAD' : 'GET',
        path: `${start}${search}`,
        headers,
        body,
        truncate,
      }));
    const fuzzRequest = fc.oneof(wild, plausible);
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
    expect(performance.now() - startedMs).toBeLessThan(RESPONSE_DEADLINE_MS);
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
