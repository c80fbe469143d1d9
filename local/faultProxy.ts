/**
 * A faulty network in front of one local S3 or SQS endpoint (s3rver, fauxqs,
 * moto_server): an HTTP proxy (http-proxy-3) that forwards every request,
 * bodies streamed both ways, and on a seeded plan's word makes some of them
 * fail the way a network and a busy service do. Per request it first finds the
 * operation kind (operationOf), then draws at most one fault for it:
 *
 * - latency: the request waits `latencyMs` before it is forwarded;
 * - throttle / serverError: the service's own error in its wire format
 *   (faultResponses), without forwarding: 503 SlowDown or 500 InternalError
 *   from S3, RequestThrottled / ServiceUnavailable or InternalFailure from SQS;
 * - reset: the connection is reset (RST), half the time before the request is
 *   forwarded, half the time after the service has done it, midway through
 *   the response body (or before the headers when there is no body): the
 *   caller cannot tell whether a write took effect;
 * - truncate: forwarded, then the response stops short: Content-Length says
 *   more than is sent before the connection closes (a HEAD gets half its headers).
 *
 * Off unless started; the local pipeline starts one per service with
 * `startLocalPipeline({ faultProxy })`.
 */
import { Agent, createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProxyServer } from 'http-proxy-3';
import { createPrng } from '../functions/domain/vq/index.js';
import { errorReply } from './faultResponses.js';
import { operationKinds, operationOf, type OperationKind, type ProxiedService } from './operationOf.js';

export const networkFaultKinds = ['latency', 'throttle', 'serverError', 'reset', 'truncate'] as const;
export type NetworkFaultKind = (typeof networkFaultKinds)[number];

/** Per operation kind, the chance per request of each fault kind (their sum at most 1); what is absent is 0. */
export type NetworkFaultRates = Partial<Record<OperationKind, Partial<Record<NetworkFaultKind, number>>>>;

export interface NetworkFaultPlan {
  /** The dice: the same plan and the same requests in the same order give the same faults. */
  seed: number;
  rates: NetworkFaultRates;
  /** The added latency, uniform in [min, max] ms; default 20-200. */
  latencyMs?: { min: number; max: number };
  /**
   * Tests: every one of `faults` is injected once on each of `operations`, on every other request of
   * that kind from the first on, before `rates` apply. So each pair is certain to happen, and the
   * SDK's retry of a faulted request usually meets a clean one.
   */
  eachOnce?: { faults: readonly NetworkFaultKind[]; operations: readonly OperationKind[] };
}

export interface FaultProxyStats {
  /** Requests seen, by operation kind. */
  requests: Record<OperationKind, number>;
  /** Faults injected, by operation kind and fault kind. */
  injected: Record<OperationKind, Record<NetworkFaultKind, number>>;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT: give it to the SDK client as `endpoint`. */
  readonly endpoint: string;
  /** What it forwards to. */
  readonly upstream: string;
  stats(): FaultProxyStats;
  /** Change the rates from now on (e.g. `{}` to let everything through). */
  setRates(rates: NetworkFaultRates): void;
  stop(): Promise<void>;
}

/** Rates for many operation kinds at once: the same `rate` for each of `faults` on each of `operations`. */
export function uniformFaultRates(
  operations: readonly OperationKind[],
  faults: readonly NetworkFaultKind[],
  rate: number,
): NetworkFaultRates {
  return Object.fromEntries(operations.map((operation) => [operation, Object.fromEntries(faults.map((fault) => [fault, rate]))]));
}

type ResponseFault = 'reset' | 'truncate';

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEndHeaders(response: IncomingMessage): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !hopByHop.has(name)));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(options: { service: ProxiedService; upstream: string; plan: NetworkFaultPlan }): Promise<FaultProxy> {
  const { service, upstream, plan } = options;
  let rates = plan.rates;
  const latency = plan.latencyMs ?? { min: 20, max: 200 };
  const dice = createPrng(plan.seed ^ (service === 's3' ? 0x53 : 0x5351));
  const requests = Object.fromEntries(operationKinds.map((kind) => [kind, 0])) as Record<OperationKind, number>;
  const injected = Object.fromEntries(
    operationKinds.map((kind) => [kind, Object.fromEntries(networkFaultKinds.map((fault) => [fault, 0]))]),
  ) as FaultProxyStats['injected'];
  const pendingOnce = new Map<OperationKind, NetworkFaultKind[]>(
    (plan.eachOnce?.operations ?? []).map((operation) => [operation, [...(plan.eachOnce?.faults ?? [])]]),
  );

  function decide(operation: OperationKind): NetworkFaultKind | undefined {
    const once = pendingOnce.get(operation);
    if (once && once.length > 0) {
      // Every other request: the first, the third... so a retry of a faulted one is usually clean.
      return requests[operation] % 2 === 1 ? once.shift() : undefined;
    }
    let roll = dice.next();
    for (const fault of networkFaultKinds) {
      roll -= rates[operation]?.[fault] ?? 0;
      if (roll < 0) return fault;
    }
    return undefined;
  }

  const agent = new Agent({ keepAlive: true });
  const proxy = createProxyServer({ target: upstream, agent, selfHandleResponse: true });
  const responseFaults = new WeakMap<IncomingMessage, ResponseFault>();

  // An emitter's 'error' without a listener throws: the upstream (or the caller) going away mid-response
  // would take the whole process down. Either way the other side is cut off, as a real network would.
  proxy.on('error', (_error, _req, res) => {
    if ('destroy' in res) res.destroy();
  });
  proxy.on('proxyRes', (upstreamResponse, req, res) => {
    upstreamResponse.on('error', () => res.destroy());
    const fault = responseFaults.get(req);
    if (!fault) {
      res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, endToEndHeaders(upstreamResponse));
      upstreamResponse.pipe(res);
      return;
    }
    // The service has done the request; what reaches the caller is cut short.
    readAll(upstreamResponse)
      .then((body) => breakResponse(fault, req, res, upstreamResponse, body))
      .catch(() => res.destroy());
  });

  function breakResponse(
    fault: ResponseFault,
    req: IncomingMessage,
    res: ServerResponse,
    upstreamResponse: IncomingMessage,
    body: Buffer,
  ): void {
    const socket = res.socket;
    if (!socket) return;
    const status = upstreamResponse.statusCode ?? 200;
    const headers = { ...endToEndHeaders(upstreamResponse) };
    delete headers['content-length'];
    const bodyless = req.method === 'HEAD' || status === 204 || status === 304;
    if (fault === 'reset') {
      if (bodyless || body.length === 0) return void socket.resetAndDestroy();
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => socket.resetAndDestroy());
      return;
    }
    if (bodyless) {
      // Nothing to cut but the header block itself.
      const head = `HTTP/1.1 ${status} ${upstreamResponse.statusMessage ?? ''}\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${String(value)}\r\n`)
        .join('')}`;
      socket.end(head.slice(0, Math.floor(head.length / 2)));
      return;
    }
    // Content-Length says more than is sent; the connection closes cleanly (FIN) after the part.
    const claimed = Math.max(body.length, 16);
    res.writeHead(status, { ...headers, 'content-length': String(claimed) });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => socket.end());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // SQS bodies are small and may name the action (query protocol); S3 bodies stream through untouched.
    const body = service === 'sqs' ? await readAll(req) : undefined;
    const operation = operationOf(service, {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: body?.toString('utf8'),
    });
    requests[operation] += 1;
    const fault = decide(operation);
    if (fault) injected[operation][fault] += 1;
    switch (fault) {
      case 'latency':
        await sleep(latency.min + dice.next() * (latency.max - latency.min));
        break;
      case 'throttle':
      case 'serverError': {
        if (!body) await readAll(req);
        const reply = errorReply(service, fault, req.headers, dice.nextInt(1 << 16));
        res.writeHead(reply.status, reply.headers).end(reply.body);
        return;
      }
      case 'reset':
        if (dice.next() < 0.5) return void req.socket.resetAndDestroy();
        responseFaults.set(req, 'reset');
        break;
      case 'truncate':
        responseFaults.set(req, 'truncate');
        break;
      case undefined:
        break;
    }
    proxy.web(req, res, body ? { buffer: Readable.from([body]) } : {}, () => {
      // The service or the caller went away: so does the other side.
      res.destroy();
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    upstream,
    stats: () => ({
      requests: { ...requests },
      injected: Object.fromEntries(Object.entries(injected).map(([kind, counts]) => [kind, { ...counts }])) as FaultProxyStats['injected'],
    }),
    setRates(next) {
      rates = next;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      agent.destroy();
    },
  };
}
