import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import sirv from 'sirv';
import { pipelineConfig } from '../functions/config/index.js';
import { isTransientFailure } from '../functions/adapters/store/index.js';
import { storageUnavailableSentence } from '../functions/stages/api/index.js';
import type { ApiHandler } from '../functions/handlers/apiRequestHandler.js';
import type { LocalAccess } from './localAccess.js';
import { mediaKeyOfPath } from './mediaKeyOfPath.js';

export interface LocalHttpServerOptions {
  port: number;
  viewerDir: string;
  s3: S3Client;
  mediaBucket: string;
  apiHandler: ApiHandler;
  /**
   * Sign-in on: /auth/* goes to the auth handler and items/ and /api/ need signed cookies,
   * as the distribution's key group requires them. Made once the server knows its own origin.
   */
  access?: (siteOrigin: string) => Promise<LocalAccess>;
}

export interface LocalHttpServer {
  url: string;
  server: Server;
  /** Present when sign-in is on. */
  access?: LocalAccess;
}

/**
 * What CloudFront does on AWS, on one port: /api/* to the API function (as a
 * Function URL event), /items/* from the media bucket, everything else from
 * the built viewer; with sign-in on, /auth/* to the auth function and the
 * signed-cookie check in front of items and the API.
 */
export async function startLocalHttpServer(options: LocalHttpServerOptions): Promise<LocalHttpServer> {
  // Requests wait for the sign-in to be set up: none may slip past the cookie check while it starts.
  let accessKnown!: (access: LocalAccess | undefined) => void;
  const accessReady = new Promise<LocalAccess | undefined>((resolve) => (accessKnown = resolve));
  // Without a built viewer the API and the items are still served (benches and tests need no viewer); pages say how to build it.
  const serveViewer = existsSync(options.viewerDir)
    ? sirv(options.viewerDir, { dev: false, etag: true, single: false })
    : viewerNotBuilt(options.viewerDir);
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // A client that hung up mid-request (a truncated body) has nobody left to answer.
      if (request.destroyed || response.destroyed) return;
      if (isTransientFailure(error) && !response.headersSent) {
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
        return void response.end(`${storageUnavailableSentence}\n`);
      }
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`local server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  // Node's own answer to a request it cannot parse is a bare status line: say what was wrong, as every other 4xx does.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable) return void socket.destroy();
    const [status, reason, sentence] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'the request line and headers are longer than the server reads (16 KB)\n']
        : [400, 'Bad Request', `the request is not valid HTTP/1.1 (${error.code ?? error.message})\n`];
    // A HEAD request's answer has no body, even when the rest of the request could not be read.
    const body = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : sentence;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(sentence)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const access = await accessReady;
    const url = requestTarget(request.url ?? '/');
    if (!url) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return void response.end(`the request target ${JSON.stringify(request.url?.slice(0, 200))} is neither a path nor a URL\n`);
    }
    const isApi = url.pathname.startsWith(pipelineConfig.api.routePrefix);
    const isMedia = url.pathname.startsWith(`/${pipelineConfig.prefixes.items}`);
    if (access && url.pathname.startsWith(pipelineConfig.access.routePrefix)) return serveAuth(access, request, response, url);
    if (access && (isApi || isMedia)) {
      const decision = access.check(`${siteOrigin}${url.pathname}${url.search}`, request.headers.cookie);
      if (!decision.allowed) {
        // CloudFront answers a missing or wrong signature with a bare 403 too; the viewer sends the person to sign-in.
        response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
        return void response.end(`signed cookies required (${decision.reason}); sign in at ${pipelineConfig.access.routePrefix}login`);
      }
    }
    if (isApi) return serveApi(request, response, url);
    if (isMedia) return serveMedia(request, response, url);
    if (refuseUnlessRead(request, response)) return;
    // sirv answers a range it cannot satisfy (`bytes=5-1`, `bytes=-5`) with a negative Content-Length or an empty 416;
    // the viewer's files are small and never fetched in parts, so it is ignored, as RFC 9110 lets a server do.
    delete request.headers.range;
    serveViewer(request, response, () => {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`no file ${JSON.stringify(url.pathname.slice(0, 200))} in the viewer\n`);
    });
  }

  async function serveApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    writeResult(response, await options.apiHandler(functionUrlEvent(request, url, await readBody(request))));
  }

  async function serveAuth(signIn: LocalAccess, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    writeResult(response, await signIn.authHandler(functionUrlEvent(request, url, await readBody(request))));
  }

  async function serveMedia(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (refuseUnlessRead(request, response)) return;
    const named = mediaKeyOfPath(url.pathname);
    if (!('key' in named)) {
      response.writeHead(named.status, { 'content-type': 'text/plain; charset=utf-8' });
      return void response.end(`${named.message}\n`);
    }
    const { key } = named;
    // Byte ranges as CloudFront serves them: a video element seeks (and Chrome plays MP4 at all past the buffer) with them.
    const range = /^bytes=\d*-\d*$/.test(request.headers.range ?? '') ? request.headers.range : undefined;
    try {
      const object = await options.s3.send(
        new GetObjectCommand({ Bucket: options.mediaBucket, Key: key, ...(range ? { Range: range } : {}) }),
      );
      response.writeHead(object.ContentRange ? 206 : 200, {
        'content-type': object.ContentType ?? 'application/octet-stream',
        'accept-ranges': 'bytes',
        ...(object.ContentRange ? { 'content-range': object.ContentRange } : {}),
        ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
        ...(object.CacheControl ? { 'cache-control': object.CacheControl } : {}),
      });
      if (request.method === 'HEAD' || !object.Body) return void response.end();
      // A body that breaks midway (the connection to S3 failed) cuts the response off too, never leaves it open.
      await pipeline(object.Body as Readable, response).catch(() => undefined);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'InvalidRange') {
        response.writeHead(416, { 'content-type': 'text/plain' });
        return void response.end(`range ${range} is outside ${key}`);
      }
      if (name !== 'NoSuchKey' && name !== 'NotFound') throw error;
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`no object ${key}`);
    }
  }

  /** The body, kept only to one byte past the API's limit (the rest is drained), so an oversize body gets the API's 413. */
  async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
    const keep = pipelineConfig.vq.query.maxImageBytes + 1;
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      if (kept >= keep) continue;
      chunks.push(chunk);
      kept += chunk.byteLength;
    }
    return kept === 0 ? undefined : Buffer.concat(chunks).subarray(0, keep);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const siteOrigin = `http://127.0.0.1:${port}`;
  const access = await options.access?.(siteOrigin).catch((error: unknown) => {
    server.close();
    throw error;
  });
  accessKnown(access);
  return { url: `${siteOrigin}/`, server, ...(access ? { access } : {}) };
}

/**
 * The URL a request names. Its target is a path (a URL only through a proxy), so a
 * path that starts with `//` is a path too, not a protocol-relative URL naming a host.
 */
function requestTarget(target: string): URL | undefined {
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
}

/** Files are only read (CloudFront allows GET and HEAD on them): anything else is answered 405 here. */
function refuseUnlessRead(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${request.method} is not allowed on ${request.url?.slice(0, 200) ?? '/'}; files are read with GET or HEAD\n`);
  return true;
}

/** The request as a Lambda Function URL event (payload v2) delivers it, binary body base64-encoded. */
function functionUrlEvent(request: IncomingMessage, url: URL, body: Buffer | undefined): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    queryStringParameters: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
    requestContext: { http: { method: request.method ?? 'GET', path: url.pathname } },
    ...(body ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  } as unknown as APIGatewayProxyEventV2;
}

/** A Function URL result as CloudFront passes it on: the `cookies` become Set-Cookie headers. */
function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body);
}

function viewerNotBuilt(viewerDir: string): (request: IncomingMessage, response: ServerResponse) => void {
  return (_request, response) => {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`the viewer is not built (${viewerDir} is missing): run \`npm run build:viewer\` (npm start does it first)\n`);
  };
}
