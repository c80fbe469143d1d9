import { resolve } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  embeddingModelEnvRecord,
  lambdaEnvNames,
  pipelineConfig,
  queueStageList,
  queueStages,
  readLambdaEnv,
  type EmbeddingModelSetting,
  type QueueStage,
} from '../functions/config/index.js';
import { configuredEmbedder, configuredEmbedderKey } from '../functions/adapters/embed/index.js';
import type { FaultPlan, FaultStats, SqsHandler } from '../functions/adapters/faults/index.js';
import { apiDepsForBucket } from '../functions/handlers/api.js';
import { createApiHandler } from '../functions/handlers/apiRequestHandler.js';
import type { StageWiring } from '../functions/handlers/stageWiring.js';
import { countOutcomes, type OutcomeCounts } from '../functions/stages/ingest/index.js';
import { reconcileIndex, removeOrphanIndexObjects, type IndexReconcileResult } from '../functions/stages/reconcile/index.js';
import {
  createS3Client,
  createSqsClient,
  messageCounts,
  S3IndexStorage,
  S3ObjectStore,
  requeueUnprocessedUploads,
  SqsIndexUpdateQueue,
  type AwsTarget,
} from '../functions/adapters/store/index.js';
import { startEmbeddedEmulators } from './embeddedEmulators.js';
import { configureNativeNotifications, ensureResources, type LocalResources, type VisibilityOverrides } from './ensureResources.js';
import { startEventSourceMapping } from './eventSourceMapping.js';
import { deliverObjectEvents } from './objectEventDelivery.js';
import { startFaultProxy, type FaultProxy, type NetworkFaultPlan } from './faultProxy.js';
import { addFaultStats, createLocalFaults, isInjectedFault } from './localFaults.js';
import { createProcessKiller, type ProcessKillPlan } from './processKills.js';
import { startProcessWorker, type ProcessWorker } from './processWorker.js';
import { startLocalAccess, type LocalAccess } from './localAccess.js';
import { startLocalHttpServer } from './localHttpServer.js';
import { stageHandlers } from './stageHandlers.js';

type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

export interface LocalPipelineOptions {
  /** Where the embedded S3 keeps objects; default from config (.data). */
  dataDir?: string;
  /** 'default' uses the ports in config; 'random' lets the OS pick (tests). */
  ports?: 'default' | 'random';
  /** An S3+SQS endpoint that delivers bucket notifications itself (moto_server, LocalStack). */
  endpoint?: string;
  /**
   * The embedded emulators running in another process (local/storageHost.ts), which delivers the bucket's events
   * itself, as S3 does inside AWS: the pipeline can then die whole and start again without the storage going down.
   */
  storage?: { s3Endpoint: string; sqsEndpoint: string };
  /** Progress lines for people. */
  log?: (line: string) => void;
  /**
   * Log level of the handlers' structured logs: one for all, or one per service (a stage's service, 'api', 'auth')
   * with '*' for the rest, e.g. a fault bench that keeps only the API's unexpected errors.
   */
  handlerLogLevel?: LogLevel | ({ '*': LogLevel } & Record<string, LogLevel>);
  /** Tests and benches shorten some stages' to watch retries and redrive; default from config. */
  visibilityTimeoutSeconds?: VisibilityOverrides;
  viewerDir?: string;
  /** The fault-injection switch (functions/adapters/faults, docs/reliability.md); off when absent. */
  faults?: FaultPlan;
  /**
   * A faulty network (local/faultProxy.ts, docs/reliability.md): a proxy in front of the S3 and one in front of the
   * SQS endpoint, through which the handlers, the API and `target` (the CLI's endpoints) go; off when absent.
   */
  faultProxy?: NetworkFaultPlan;
  /**
   * Each stage's workers in child processes (local/processWorker.ts), as Lambda's execution environments are:
   * `kills` SIGKILLs some at random moments, and their batches come back after the visibility timeout. In-process when absent.
   */
  workerProcesses?: { kills?: ProcessKillPlan };
  /** Sign-in as a deployed stack has it (a local OpenID provider, signed cookies on items/ and /api/); off when absent. */
  signIn?: { allowedEmails?: readonly string[] };
  /**
   * A model of your own (`--embedding-model PATH`, a file, or s3://bucket/key in the emulated S3): loaded at start,
   * then used by ingest, video, the indexer and search, as on AWS. The weight-free default embedder when absent.
   */
  embeddingModel?: EmbeddingModelSetting;
}

export interface LocalPipeline {
  viewerUrl: string;
  /** With sign-in on: the local OpenID provider, and the signer the CLI's share links and calls use. */
  access?: LocalAccess;
  resources: LocalResources;
  /** The clients the handlers and the API use (through the fault proxies when they are on). */
  s3: S3Client;
  sqs: SQSClient;
  /** Where the CLI should point (the fault proxies when they are on). */
  target: { s3: AwsTarget; sqs: AwsTarget };
  /** With `faultProxy`: the proxies, their counters and their upstream (the emulator) endpoints. */
  faultProxy?: { s3: FaultProxy; sqs: FaultProxy };
  /** Uploads, items and error records in the bucket now. */
  countOutcomes(): Promise<OutcomeCounts>;
  /** Messages the ingest and video functions have finished, successfully or not. */
  processedMessages(): number;
  /** Messages the ingest and video functions reported as failed (they will be retried). */
  failedMessages(): number;
  upload(key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** Re-enqueues uploads that have neither an item nor an error record; returns how many. */
  reconcile(): Promise<number>;
  /**
   * The index's half: ready items missing from the index announced again, entries whose item is gone removed
   * (functions/stages/reconcile/reconcileIndex.ts), then packs no manifest names and older than `orphanMinAgeMs`
   * (default: the indexer's timeout, so no commit in progress can own one) deleted.
   */
  reconcileIndex(options?: { orphanMinAgeMs?: number }): Promise<IndexReconcileResult & { orphansRemoved: string[] }>;
  /** What the fault switch has injected so far (all zero without `faults`). */
  faultStats(): FaultStats;
  /** Worker processes the kill plan has SIGKILLed mid-invocation (zero without `workerProcesses.kills`). */
  processKills(): number;
  /** Resolves once no event is pending, queued or being handled. */
  waitForIdle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const { local } = pipelineConfig;
  const log = options.log ?? (() => undefined);
  const randomPorts = options.ports === 'random';
  const dataDir = resolve(options.dataDir ?? local.dataDir);
  const credentials = { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey };

  const emulators =
    options.endpoint || options.storage
      ? undefined
      : await startEmbeddedEmulators({
          dataDir,
          s3Port: randomPorts ? 0 : local.s3Port,
          sqsPort: randomPorts ? 0 : local.sqsPort,
        });
  const upstream = {
    s3: { region: local.region, credentials, endpoint: options.endpoint ?? options.storage?.s3Endpoint ?? emulators?.s3Endpoint },
    sqs: { region: local.region, credentials, endpoint: options.endpoint ?? options.storage?.sqsEndpoint ?? emulators?.sqsEndpoint },
  };
  const proxies = options.faultProxy ? await startFaultProxies(upstream, options.faultProxy) : undefined;
  const target = proxies
    ? { s3: { ...upstream.s3, endpoint: proxies.s3.endpoint }, sqs: { ...upstream.sqs, endpoint: proxies.sqs.endpoint } }
    : upstream;
  const s3 = createS3Client(target.s3);
  const sqs = createSqsClient(target.sqs);
  // What is not the pipeline's own network bypasses the proxies: making the resources, S3's delivery of its events
  // to SQS (inside AWS, not over our connections) and the bookkeeping of tests and benches (idle, outcome counts).
  const directS3 = proxies ? createS3Client(upstream.s3) : s3;
  const directSqs = proxies ? createSqsClient(upstream.sqs) : sqs;
  const resources = await ensureResources(directS3, directSqs, { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds });
  const store = new S3ObjectStore(s3, resources.mediaBucket);
  const directStore = proxies ? new S3ObjectStore(directS3, resources.mediaBucket) : store;
  const destroyClients = async () => {
    for (const client of new Set([s3, directS3])) client.destroy();
    for (const client of new Set([sqs, directSqs])) client.destroy();
    await proxies?.s3.stop();
    await proxies?.sqs.stop();
  };
  // s3rver ignores conditional writes: the index store checks them itself (safe with one writer per shard).
  const conditionalWrites = options.endpoint ? 'native' : 'emulated';
  const indexStorage = new S3IndexStorage(s3, resources.mediaBucket, conditionalWrites);

  // One embedder for every stage and the API, loaded now so that a bad model stops `npm start` with the reason.
  const embedder = configuredEmbedder(options.embeddingModel, s3);
  const searchEmbedder = await embedder().catch(async (error: unknown) => {
    await destroyClients();
    await emulators?.stop();
    throw error;
  });

  const faults = createLocalFaults(options.faults);

  // Embedded S3 reports events in-process; turn them into what S3 would put on the queue (the fault switch may send one several times).
  const delivery = emulators ? deliverObjectEvents(emulators, directSqs, resources, { copies: () => faults.deliveries(), log }) : undefined;
  if (options.endpoint) await configureNativeNotifications(directS3, resources.mediaBucket, resources.queues.ingest.work);

  const configuredLevel = options.handlerLogLevel ?? 'WARN';
  const logLevelOf = (service: string): LogLevel =>
    typeof configuredLevel === 'string' ? configuredLevel : (configuredLevel[service] ?? configuredLevel['*']);
  let processed = 0;
  let failed = 0;
  const onBatchDone = (batch: { received: number; failed: number }) => {
    processed += batch.received;
    failed += batch.failed;
  };
  // Each stage's function is told the bucket and the queues it sends to, as the stack tells it.
  const environmentOf = (stage: QueueStage): Record<string, string> => ({
    [lambdaEnvNames.mediaBucket]: resources.mediaBucket,
    ...Object.fromEntries(stage.consumer.sendsTo.map((target) => [queueStages[target].queue.urlEnv, resources.queues[target].work.url])),
    ...(options.embeddingModel ? embeddingModelEnvRecord(options.embeddingModel) : {}),
  });
  const killer = options.workerProcesses?.kills ? createProcessKiller(options.workerProcesses.kills) : undefined;
  const processWorkers: ProcessWorker[] = [];
  const processWorkerFor = (stage: QueueStage): SqsHandler => {
    const worker = startProcessWorker(
      {
        stage: stage.name,
        service: stage.service,
        env: environmentOf(stage),
        s3: target.s3,
        sqs: target.sqs,
        conditionalWrites,
        logLevel: logLevelOf(stage.service),
        ...(stage.carriesUploads && options.faults
          ? { faults: { ...options.faults, seed: options.faults.seed + processWorkers.length + 1 } }
          : {}),
      },
      killer,
    );
    processWorkers.push(worker);
    return worker.handler;
  };
  // One event source mapping per row of the stage table, each worker one execution environment.
  const mappings = queueStageList.map((stage) => {
    const build = (wrapStore: StageWiring['wrapStore']) =>
      stageHandlers[stage.name]({
        env: readLambdaEnv(environmentOf(stage)),
        s3,
        sqs,
        wrapStore,
        conditionalWrites,
        embedder,
        logger: new Logger({ serviceName: stage.service, logLevel: logLevelOf(stage.service) }),
        inLambda: false,
      });
    const mapping = startEventSourceMapping({
      sqs,
      queue: resources.queues[stage.name].work,
      region: local.region,
      batchSize: stage.consumer.batchSize,
      receiveWaitSeconds: local.receiveWaitSeconds,
      functionName: stage.service,
      functionTimeoutSeconds: stage.consumer.timeoutSeconds,
      workers: stage.consumer.localWorkers,
      createHandler: () =>
        options.workerProcesses ? processWorkerFor(stage) : stage.carriesUploads ? faults.worker(build) : build((store) => store),
      ...(stage.carriesUploads ? { onBatchDone } : {}),
      onError: (error) =>
        isInjectedFault(error) || log(`${stage.service} worker: ${error instanceof Error ? error.message : String(error)}`),
    });
    return { stage, mapping };
  });

  const http = await startLocalHttpServer({
    port: randomPorts ? 0 : local.httpPort,
    viewerDir: resolve(options.viewerDir ?? 'viewer/dist'),
    s3,
    mediaBucket: resources.mediaBucket,
    apiHandler: createApiHandler(
      apiDepsForBucket(store, indexStorage, searchEmbedder),
      new Logger({ serviceName: 'api', logLevel: logLevelOf('api') }),
    ),
    ...(options.signIn
      ? {
          access: (siteOrigin: string) =>
            startLocalAccess({
              dataDir,
              siteOrigin,
              providerPort: randomPorts ? 0 : pipelineConfig.access.local.providerPort,
              logLevel: logLevelOf('auth'),
              ...(options.signIn?.allowedEmails ? { allowedEmails: options.signIn.allowedEmails } : {}),
            }),
        }
      : {}),
  });

  /** What is still going on, by name (all zero when idle). */
  async function busyCounts(): Promise<Record<string, number>> {
    const busy: Record<string, number> = { pendingNotifications: delivery?.pending() ?? 0 };
    for (const { stage, mapping } of mappings) busy[`${stage.service}Handlers`] = mapping.inFlight();
    for (const { stage } of mappings) {
      // Messages waiting plus in flight.
      const counts = await messageCounts(directSqs, resources.queues[stage.name].work.url);
      busy[`${stage.name}Queue`] = counts.waiting + counts.inFlight;
    }
    return busy;
  }

  return {
    viewerUrl: http.url,
    ...(http.access ? { access: http.access } : {}),
    resources,
    s3,
    sqs,
    target,
    ...(proxies ? { faultProxy: proxies } : {}),
    processedMessages: () => processed,
    failedMessages: () => failed,
    countOutcomes: () => countOutcomes(directStore),
    async upload(key, bytes, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: resources.mediaBucket, Key: key, Body: bytes, ContentType: contentType }));
    },
    async reconcile() {
      // No minimum age: at start the emulated queue is empty, and later an upload still on its way only gets a duplicate delivery, which ingest absorbs.
      const target = { sqs, ingestQueueUrl: resources.queues.ingest.work.url, bucket: resources.mediaBucket, region: local.region };
      const result = await requeueUnprocessedUploads(store, target, { minAgeMs: 0, now: new Date() });
      return result.requeued.length;
    },
    async reconcileIndex(sweep = {}) {
      const index = {
        store,
        storage: indexStorage,
        embedderKey: configuredEmbedderKey(options.embeddingModel),
        shards: pipelineConfig.vq.shards,
      };
      const result = await reconcileIndex({
        ...index,
        indexUpdates: new SqsIndexUpdateQueue(sqs, resources.queues.index.work.url, pipelineConfig.vq.shards),
      });
      const minAgeMs = sweep.orphanMinAgeMs ?? queueStages.index.consumer.timeoutSeconds * 1000;
      return { ...result, orphansRemoved: await removeOrphanIndexObjects(index, { minAgeMs, now: new Date() }) };
    },
    faultStats: () => processWorkers.reduce((total, worker) => addFaultStats(total, worker.faultStats()), faults.stats()),
    processKills: () => killer?.kills() ?? 0,
    async waitForIdle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      // Two quiet checks in a row: a handler may be between receive and finish.
      while (quietChecks < 2) {
        const busy = Object.entries(await busyCounts()).filter(([, count]) => count > 0);
        if (busy.length > 0 && Date.now() > deadline) {
          throw new Error(
            `the local pipeline was still busy after ${timeoutMs} ms: ${busy.map(([what, count]) => `${what} ${count}`).join(', ')} ` +
              `(${failed} deliveries failed so far; a failed or lost delivery reappears after its queue's visibility timeout)`,
          );
        }
        quietChecks = busy.length === 0 ? quietChecks + 1 : 0;
        await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
      }
    },
    async stop() {
      await new Promise<void>((resolveClose) => http.server.close(() => resolveClose()));
      await http.access?.stop();
      for (const { mapping } of mappings) await mapping.stop();
      for (const worker of processWorkers) await worker.stop();
      await destroyClients();
      await emulators?.stop();
    },
  };
}

/** One fault proxy per service, each with its own dice; with one endpoint for both (moto_server), both in front of it. */
async function startFaultProxies(
  upstream: { s3: AwsTarget; sqs: AwsTarget },
  plan: NetworkFaultPlan,
): Promise<{ s3: FaultProxy; sqs: FaultProxy }> {
  const endpointOf = (target: AwsTarget) => {
    if (!target.endpoint) throw new Error('the fault proxy needs a local endpoint to stand in front of');
    return target.endpoint;
  };
  return {
    s3: await startFaultProxy({ service: 's3', upstream: endpointOf(upstream.s3), plan }),
    sqs: await startFaultProxy({ service: 'sqs', upstream: endpointOf(upstream.sqs), plan }),
  };
}
