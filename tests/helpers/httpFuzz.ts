import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { pipelineConfig } from '../../functions/config/index.js';
import { storageUnavailableSentence } from '../../functions/stages/api/index.js';
import { decompressionBombPng, truncatedJpeg } from './hostileFiles.js';
import { makeJpeg } from './testImages.js';

/**
 * Random requests at the local HTTP server (API, items and viewer on one port) and what every answer must be:
 * shared by the fuzz test (tests/integration/httpFuzz.test.ts) and the fault bench, which sends them while the
 * storage under the API is faulted.
 */

/** Longer than this is a hang. */
export const responseDeadlineMs = 5_000;
/** Text that must never come back: planted outside the bucket, in an upload, or any host file. */
export const outsideSentinel = 'SENTINEL-OUTSIDE-THE-BUCKET-7f3a';
export const uploadSentinel = 'SENTINEL-IN-AN-UPLOAD-91c2';
const forbiddenMarkers = [outsideSentinel, uploadSentinel, 'root:x:0:0', '"name": "xr-media-pipeline"', '"devDependencies"'];

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** A name from the bodies map, or `hex:` and random bytes; printed short when a run fails. */
  body?: string | undefined;
  /** Declare more bytes than are sent, then hang up: a truncated upload (no answer is expected). */
  truncate: boolean;
}

/** The bodies a request may carry, by name. */
export async function fuzzBodies(): Promise<Map<string, Buffer>> {
  const limit = pipelineConfig.vq.query.maxImageBytes;
  return new Map(
    Object.entries({
      'a real photo': await makeJpeg(320, 240, '#3060c0'),
      'a body over the API limit': Buffer.alloc(limit + 4096, 0xab),
      'a truncated JPEG': await truncatedJpeg(),
      // 64 MB of zeros in 64 KB, declared gzip or not: nothing may inflate it.
      'a gzip bomb': gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }),
      // Over the ingest limit of pixels and under sharp's own.
      'a pixel bomb': decompressionBombPng(12_000),
      'JSON where an image is expected': Buffer.from(JSON.stringify({ image: 'data:image/jpeg;base64,AAAA', k: 3 })),
    }),
  );
}

const bodyBytes = (bodies: ReadonlyMap<string, Buffer>, body: string | undefined): Buffer | undefined =>
  body === undefined ? undefined : body.startsWith('hex:') ? Buffer.from(body.slice(4), 'hex') : bodies.get(body);

/** One request over its own socket, the path exactly as given (no URL normalisation). */
export function sendFuzzRequest(port: number, bodies: ReadonlyMap<string, Buffer>, sent: FuzzRequest): Promise<Answer | 'hung up'> {
  const { method, path, headers, truncate } = sent;
  const body = bodyBytes(bodies, sent.body);
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
      reject(new Error(`no answer within ${responseDeadlineMs} ms to ${method} ${path.slice(0, 200)}`));
    }, responseDeadlineMs);
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

/** Two words: what a person can read. */
const sentencePattern = /[a-z]{2,}\W+[a-z]{2,}/i;

/**
 * What is wrong with an answer, empty when nothing: below 500 (with `storageFaulted`, a 503 saying the storage is
 * unavailable is a right answer too); a 4xx (or that 503) says what is wrong in words; no forbidden byte; a 2xx from items/
 * is that object of the bucket (`readObject`, straight from the storage), byte for byte.
 */
export async function answerProblems(
  sent: FuzzRequest,
  answer: Answer,
  readObject: (key: string) => Promise<Buffer | undefined>,
  options: { storageFaulted: boolean } = { storageFaulted: false },
): Promise<string[]> {
  const what = `${sent.method} ${sent.path.slice(0, 300)} → ${answer.status} ${answer.body.toString('utf8', 0, 300)}`;
  const problems: string[] = [];
  // A HEAD carries no body to say it in: the Retry-After only the storage's 503 has must do.
  const saysStorageUnavailable =
    sent.method === 'HEAD'
      ? answer.headers['retry-after'] !== undefined
      : answer.body.toString('utf8').includes(storageUnavailableSentence);
  const clearlyUnavailable = options.storageFaulted && answer.status === 503 && saysStorageUnavailable;
  if (answer.status < 200 || (answer.status >= 500 && !clearlyUnavailable)) problems.push(`${what}: status out of range`);
  const text = answer.body.toString('latin1');
  for (const marker of forbiddenMarkers) if (text.includes(marker)) problems.push(`${what}: body holds ${marker}`);
  if (answer.status >= 400 && sent.method !== 'HEAD') {
    const contentType = String(answer.headers['content-type'] ?? '');
    let sentence = answer.body.toString('utf8');
    if (contentType.startsWith('application/json')) {
      try {
        sentence = String((JSON.parse(sentence) as { error?: unknown }).error ?? '');
      } catch {
        problems.push(`${what}: JSON error that is not JSON`);
      }
    }
    if (!sentencePattern.test(sentence)) problems.push(`${what}: a 4xx or 503 says what is wrong in words`);
  }
  // Asked only of a 2xx GET: a path such as //x is no URL at all.
  const pathname = answer.status < 300 && sent.method === 'GET' ? new URL(sent.path, 'http://x').pathname : '';
  if (pathname.startsWith('/items/')) {
    const stored = await readObject(decodeURIComponent(pathname.slice(1)));
    const same = stored && (answer.status === 200 ? answer.body.equals(stored) : stored.includes(answer.body));
    if (!same) problems.push(`${what}: not the object's bytes`);
  }
  return problems;
}

/** Requests wild and plausible, around one real item and its previews. */
export function fuzzRequests(target: {
  itemId: string;
  previewKeys: readonly string[];
  bodyNames: readonly string[];
}): fc.Arbitrary<FuzzRequest> {
  const { itemId, previewKeys, bodyNames } = target;
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
    .tuple(base, fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.constantFrom('/', '//'), segment), { minLength: 1, maxLength: 4 })), query)
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
    { weight: 3, arbitrary: fc.constantFrom(...bodyNames) },
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
  return fc.oneof(wild, plausible);
}
