/**
 * What 1000 photos cost on AWS, from measurements of the real pipeline: real
 * photos from opencv-doc upscaled to 12 MP go one at a time through the local
 * mode (ingest, index queue, indexer), and this counts every S3 and SQS
 * request the functions make, the bytes they store, the bytes they log, and
 * the ingest function's processing time per photo (from its own log lines).
 * The reference in the same run is the uploads themselves: stored bytes are
 * also given as a ratio to the source bytes. Prices are us-east-1 list prices
 * (below, with the assumptions); the README's cost section quotes this output.
 *
 *   npm run bench:costs [-- --rounds 1]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { InitializeMiddleware } from '@smithy/types';
import { pipelineConfig } from '../functions/config/index.js';
import { startLocalPipeline } from '../local/index.js';
import { numberArg } from './benchArgs.js';
import { makeTwelveMegapixelJpegs } from './realPhotos.js';

/** us-east-1 list prices (USD), checked against the AWS pricing pages in 2025; free tiers ignored. */
export const prices = {
  lambdaPerGbSecond: 0.0000166667,
  lambdaPerRequest: 0.2 / 1e6,
  s3PerPut: 0.005 / 1000,
  s3PerGet: 0.0004 / 1000,
  s3PerGbMonth: 0.023,
  sqsPerRequest: 0.4 / 1e6,
  logsPerGbIngested: 0.5,
  cloudFrontPerGb: 0.085,
  alarmPerMonth: 0.1,
  dashboardPerMonth: 3,
  customMetricPerMonth: 0.3,
} as const;
/** S3 request classes: PUT, COPY, POST and LIST bill as "PUT"; GET, HEAD and the rest as "GET". */
const putClass = new Set([
  'PutObjectCommand',
  'CopyObjectCommand',
  'ListObjectsCommand',
  'ListObjectsV2Command',
  'DeleteObjectsCommand',
  'CreateMultipartUploadCommand',
]);
/** SQS requests a deployment pays per message: sends and deletes (Lambda's pollers' receives are billed too, mostly while idle; see README). */
const sqsPerMessage = new Set(['SendMessageCommand', 'SendMessageBatchCommand', 'DeleteMessageBatchCommand', 'DeleteMessageCommand']);
const gb = 1024 ** 3;
const rounds = numberArg('rounds', 1);

/** Counts the requests a client sends, by command, from the moment it is called. */
/** Any SDK client's middleware stack (S3's, SQS's): the counter reads only the command name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client's input and output types
type AnyMiddlewareStack = { add(middleware: InitializeMiddleware<any, any>, options: { step: 'initialize'; name: string }): void };

function countRequests(stack: AnyMiddlewareStack): Map<string, number> {
  const counts = new Map<string, number>();
  stack.add(
    (next, context) => (args) => {
      const command = context.commandName ?? 'unknown';
      counts.set(command, (counts.get(command) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return counts;
}

/** Everything the pipeline writes while the callback runs (the handlers' JSON logs), kept out of this script's output. */
async function captureHandlerOutput(run: () => Promise<void>): Promise<string> {
  const captured: string[] = [];
  const { stdout, stderr } = process;
  const [stdoutWrite, stderrWrite] = [stdout.write, stderr.write];
  const capture = ((chunk: string | Uint8Array) => {
    captured.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await run();
  } finally {
    stdout.write = stdoutWrite;
    stderr.write = stderrWrite;
  }
  return captured.join('');
}

async function storedBytes(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let bytes = 0;
  let marker: string | undefined;
  do {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
    for (const object of page.Contents ?? []) bytes += object.Size ?? 0;
    marker = page.IsTruncated ? page.Contents?.at(-1)?.Key : undefined;
  } while (marker);
  return bytes;
}

const scriptPath = fileURLToPath(import.meta.url);
/** The bench runs when this is the script (npm run bench:costs), not when a module imports `prices` (bench/vqScale/costs.ts). */
const runAsScript = [scriptPath, scriptPath.replace(/\.ts$/, '')].includes(resolve(process.argv[1] ?? ''));

if (runAsScript) {
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-costs-'));
  const pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'INFO' });
  try {
    const photos = (await Promise.all(Array.from({ length: rounds }, (_, round) => makeTwelveMegapixelJpegs(round + 1)))).flat();
    const sourceBytes = photos.reduce((sum, photo) => sum + photo.bytes.byteLength, 0);
    const s3Requests = countRequests(pipeline.s3.middlewareStack);
    const sqsRequests = countRequests(pipeline.sqs.middlewareStack);
    let uploadRequests = 0;
    const logs = await captureHandlerOutput(async () => {
      for (const photo of photos) {
        await pipeline.upload(`uploads/bench/costs/${photo.name}`, photo.bytes);
        uploadRequests += 1;
        // One at a time: the processing time is one photo's, not two sharing the cores.
        await pipeline.waitForIdle(300_000);
      }
    });
    const counts = await pipeline.countOutcomes();
    if (counts.items !== photos.length) throw new Error(`expected ${photos.length} items, got ${JSON.stringify(counts)}`);

    const logLines = logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string; elapsedMs?: number });
    const ingestMs = logLines.filter((line) => line.message === 'created: created').map((line) => line.elapsedMs ?? 0);
    if (ingestMs.length !== photos.length) throw new Error(`found ${ingestMs.length} ingest log lines for ${photos.length} photos`);
    const meanIngestMs = ingestMs.reduce((sum, ms) => sum + ms, 0) / ingestMs.length;

    // The pipeline's own requests: the test's uploads (PutObject) are the user's, and the local poller's receives are not Lambda's.
    s3Requests.set('PutObjectCommand', (s3Requests.get('PutObjectCommand') ?? 0) - uploadRequests);
    const sum = (map: Map<string, number>, included: (command: string) => boolean) =>
      [...map].filter(([command]) => included(command)).reduce((total, [, count]) => total + count, 0);
    const perPhoto = (value: number) => value / photos.length;
    const s3Puts = perPhoto(sum(s3Requests, (command) => putClass.has(command)));
    const s3Gets = perPhoto(sum(s3Requests, (command) => !putClass.has(command)));
    const sqsMessages = perPhoto(sum(sqsRequests, (command) => sqsPerMessage.has(command)));
    const bucket = pipeline.resources.mediaBucket;
    const { prefixes, vq, ingest } = pipelineConfig;
    const derivedBytes = perPhoto(
      (await storedBytes(pipeline.s3, bucket, prefixes.items)) + (await storedBytes(pipeline.s3, bucket, prefixes.sources)),
    );
    const indexBytes = perPhoto(await storedBytes(pipeline.s3, bucket, vq.prefix));
    const logBytes = Buffer.byteLength(logs) / photos.length;
    const meanSourceBytes = sourceBytes / photos.length;

    const thousand = 1000;
    const cost = {
      lambdaCompute: thousand * (meanIngestMs / 1000) * (ingest.memoryMb / 1024) * prices.lambdaPerGbSecond,
      lambdaRequests: thousand * prices.lambdaPerRequest,
      s3Requests: thousand * (s3Puts * prices.s3PerPut + s3Gets * prices.s3PerGet),
      sqs: thousand * sqsMessages * prices.sqsPerRequest,
      logs: (thousand * logBytes * prices.logsPerGbIngested) / gb,
      storagePerMonth: (thousand * (meanSourceBytes + derivedBytes + indexBytes) * prices.s3PerGbMonth) / gb,
      /** An upper bound for viewing each item once through CloudFront: every derived byte fetched (a viewer fetches a part: thumbnail, base layer, the tiles it looks at). */
      viewingAtMost: (thousand * derivedBytes * prices.cloudFrontPerGb) / gb,
    };
    const oneOff = cost.lambdaCompute + cost.lambdaRequests + cost.s3Requests + cost.sqs + cost.logs;
    // PipelineMonitoring: a dead-letter alarm and an oldest-message alarm per queue.
    const alarms = 2 * Object.keys(pipelineConfig.monitoring.oldestMessageAgeAlarmMinutes).length;
    const round2 = (value: number) => Math.round(value * 100) / 100;
    const round3 = (value: number) => Math.round(value * 1000) / 1000;

    console.log(`${photos.length} photos of 12 MP (${round2(meanSourceBytes / 1e6)} MB each) through the local pipeline, one at a time`);
    console.log(
      `ingest: ${Math.round(meanIngestMs)} ms per photo on this machine (${ingest.memoryMb} MB function); S3 ${round2(s3Puts)} PUT-class + ${round2(s3Gets)} GET-class requests, SQS ${round2(sqsMessages)} sends/deletes, ${Math.round(logBytes)} B of logs`,
    );
    console.log(
      `stored per photo: source ${round2(meanSourceBytes / 1e6)} MB, derived ${round2(derivedBytes / 1e6)} MB (${round2(derivedBytes / meanSourceBytes)}x the source), index ${round3(indexBytes / 1e3)} KB`,
    );
    console.log('per 1000 photos, USD:');
    for (const [name, value] of Object.entries(cost)) console.log(`  ${name.padEnd(20)} ${round3(value)}`);
    console.log(`  one-off processing   ${round3(oneOff)}; then storage ${round3(cost.storagePerMonth)} per month`);
    console.log(
      JSON.stringify({
        photos: photos.length,
        source_mb: round2(meanSourceBytes / 1e6),
        ingest_ms_mean: Math.round(meanIngestMs),
        s3_put_class_per_photo: round2(s3Puts),
        s3_get_class_per_photo: round2(s3Gets),
        sqs_requests_per_photo: round2(sqsMessages),
        log_bytes_per_photo: Math.round(logBytes),
        derived_mb_per_photo: round2(derivedBytes / 1e6),
        derived_over_source_ratio: round2(derivedBytes / meanSourceBytes),
        usd_per_1000_processing: round3(oneOff),
        usd_per_1000_storage_month: round3(cost.storagePerMonth),
        usd_per_1000_viewed_at_most: round3(cost.viewingAtMost),
        usd_fixed_month_alarms: round2(alarms * prices.alarmPerMonth),
      }),
    );
  } finally {
    await pipeline.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
