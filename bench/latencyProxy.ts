/**
 * An HTTP proxy in front of a local S3 emulator (s3rver, moto_server) that
 * holds every response for a fixed time before its first byte. The emulators
 * answer in a millisecond or so, S3 itself in tens of milliseconds per request
 * (time to first byte), so a bench of a code path whose cost is its number of
 * S3 round trips measures nothing without it: start this in front of the
 * emulator and give the S3 client `endpoint`. The benches' default is 20 ms
 * (s3FirstByteDelayMs), a small object read from a function in the bucket's
 * region.
 *
 * Requests pass unchanged (method, path-style URL and query, headers
 * including Host, which the SigV4 signature covers, Range and conditional
 * headers) and responses come back unchanged (304, 412, 206...), streamed both
 * ways. The delay starts when the emulator's response headers arrive, so it
 * adds to the emulator's own time, and a write has taken effect before its
 * response is held, as on S3. Kept to forwarding and counting so that the
 * faults bench can reuse it as a fault proxy.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** S3's first-byte latency as the benches model it, from a function in the bucket's region. */
export const s3FirstByteDelayMs = 20;

export interface LatencyProxyOptions {
  /** The emulator, e.g. http://127.0.0.1:4569. */
  target: string;
  /** Added to every response before its status line and headers go to the client. */
  firstByteDelayMs: number;
}

export interface LatencyProxy {
  /** http://127.0.0.1:PORT, for the S3 client's endpoint. */
  readonly endpoint: string;
  /** Requests forwarded to the target so far. */
  readonly requests: number;
  /** Response body bytes sent to clients so far. */
  readonly bytesOut: number;
  stop(): Promise<void>;
}

/** Per hop, not per request: each side of the proxy has its own connection (and the proxy has answered Expect itself). */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect']);

/** The end-to-end headers of a message, as raw [name, value, name, value...] pairs: less the hop-by-hop ones and those its Connection header names. */
function endToEnd(rawHeaders: string[], connection: string | string[] | undefined): string[] {
  const connectionNames = [connection ?? []].flat().flatMap((value) => value.split(','));
  const dropped = new Set([...hopByHop, ...connectionNames.map((name) => name.trim().toLowerCase())]);
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const [name, value] = [rawHeaders[i]!, rawHeaders[i + 1]!];
    if (!dropped.has(name.toLowerCase())) kept.push(name, value);
  }
  return kept;
}

/** Raw pairs as the object http.request takes (header names are case-insensitive); a repeated header keeps every value. */
function headerObject(raw: string[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [name, value] = [raw[i]!.toLowerCase(), raw[i + 1]!];
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [previous, value].flat();
  }
  return headers;
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`latency proxy: target must be http://, got ${options.target}`);
  const basePath = target.pathname.replace(/\/$/, '');
  const agent = new Agent({ keepAlive: true });
  let requests = 0;
  let bytesOut = 0;

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const upstream = request({
      agent,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: basePath + (req.url ?? '/'),
      headers: headerObject(endToEnd(req.rawHeaders, req.headers.connection)),
    });
    requests += 1;
    // A client that goes away (a cancelled read, an SDK timeout) takes its upstream request with it.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
    // The emulator may answer before it has read the body (a 412, say): the response does not wait for the upload.
    // (Its failures, a client gone mid-upload, destroy `upstream` and so reject `response`.)
    pipeline(req, upstream).catch(() => undefined);
    const upstreamResponse = await response;
    await sleep(options.firstByteDelayMs);
    res.writeHead(
      upstreamResponse.statusCode ?? 502,
      upstreamResponse.statusMessage,
      endToEnd(upstreamResponse.rawHeaders, upstreamResponse.headers.connection),
    );
    await pipeline(
      upstreamResponse,
      async function* count(body: AsyncIterable<Buffer>) {
        for await (const chunk of body) {
          bytesOut += chunk.byteLength;
          yield chunk;
        }
      },
      res,
    );
  }

  const server = createServer((req, res) => {
    forward(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`latency proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get bytesOut() {
      return bytesOut;
    },
    async stop() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await closed;
      agent.destroy();
    },
  };
}
