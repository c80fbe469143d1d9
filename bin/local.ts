#!/usr/bin/env node
/**
 * `npm start`: the whole pipeline on this machine against local S3/SQS
 * emulators (or `--endpoint` for moto_server / LocalStack). Only wiring here.
 */
import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { embeddingModelSetting, pipelineConfig } from '../functions/config/index.js';
import { generateSampleImages, startLocalPipeline } from '../local/index.js';

const options = new Command('npm start --')
  .description('Run the XR media pipeline locally: emulators, ingest workers, viewer and API.')
  .option('--endpoint <url>', 'use a running S3+SQS endpoint (moto_server, LocalStack) instead of the embedded emulators')
  .option('--data-dir <dir>', 'where the embedded S3 keeps its objects', pipelineConfig.local.dataDir)
  .option('--no-samples', 'do not ingest generated sample images on first run')
  .option('--verbose', 'print the handlers’ structured logs')
  .option('--sign-in', 'require sign-in as a deployed stack does (a local OpenID provider; signed cookies on items and the API)')
  .option(
    '--embedding-model <path>',
    'embed with this ONNX image encoder (a file, or s3://bucket/key in the local S3) instead of the default embedder',
  )
  .option('--embedding-spec <file>', 'the model’s declaration, JSON: name, version, preprocessing (default: pipelineConfig.embedding.onnx)')
  .parse()
  .opts<{
    endpoint?: string;
    dataDir: string;
    samples: boolean;
    verbose?: boolean;
    signIn?: boolean;
    embeddingModel?: string;
    embeddingSpec?: string;
  }>();

const say = (line: string) => console.log(`[local] ${line}`);
const fail = (message: string): never => {
  console.error(`[local] could not start: ${message}`);
  process.exit(1);
};
let embeddingModel: ReturnType<typeof embeddingModelSetting>;
try {
  embeddingModel = embeddingModelSetting(
    { model: options.embeddingModel, specFile: options.embeddingSpec },
    { model: '--embedding-model', specFile: '--embedding-spec' },
    false,
  );
} catch (error) {
  fail((error as Error).message);
}
if (embeddingModel) say(`embedding with ${embeddingModel.spec.name} ${embeddingModel.spec.version} from ${embeddingModel.model}`);
say(options.endpoint ? `using S3 and SQS at ${options.endpoint}` : `starting S3 and SQS emulators (data in ${options.dataDir}/)`);
const pipeline = await startLocalPipeline({
  dataDir: options.dataDir,
  endpoint: options.endpoint,
  log: say,
  handlerLogLevel: options.verbose ? 'INFO' : 'WARN',
  ...(options.signIn ? { signIn: {} } : {}),
  ...(embeddingModel ? { embeddingModel } : {}),
}).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE/.test(message)) console.error('[local] a port is taken: is another `npm start` running?');
  return fail(message);
});

const shutdown = async () => {
  say('stopping');
  await pipeline.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

const requeued = await pipeline.reconcile();
if (requeued > 0) say(`re-enqueued ${requeued} upload(s) that had no item or error record yet`);
const { reannounced, removed, orphansRemoved } = await pipeline.reconcileIndex();
if (reannounced.length > 0) say(`announced ${reannounced.length} ready item(s) missing from the index again`);
if (removed.length > 0) say(`removed ${removed.length} index entr(ies) whose item is gone`);
if (orphansRemoved.length > 0) say(`deleted ${orphansRemoved.length} index pack(s) a stopped indexer left unnamed`);

const before = await pipeline.countOutcomes();
if (options.samples && before.uploads === 0) {
  const { sampleCount } = pipelineConfig.local;
  say(`first run: generating and uploading ${sampleCount} sample images`);
  const samples = await generateSampleImages(sampleCount);
  const bar = new SingleBar({
    format: '[local] ingesting samples [{bar}] {value}/{total}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(samples.length, 0);
  const baseline = pipeline.processedMessages();
  const timer = setInterval(() => bar.update(Math.min(samples.length, pipeline.processedMessages() - baseline)), 200);
  for (const sample of samples) await pipeline.upload(`${pipelineConfig.prefixes.uploads}samples/${sample.name}`, sample.bytes);
  await pipeline.waitForIdle(120_000);
  clearInterval(timer);
  bar.update(samples.length);
  bar.stop();
} else {
  await pipeline.waitForIdle(120_000);
}

const counts = await pipeline.countOutcomes();
say('more: npm run cli -- upload <files or folders> · npm run cli -- status · npm run cli -- --help · Ctrl-C stops');
if (pipeline.access)
  say(
    `sign-in on: the viewer sends you to the local provider (${pipeline.access.providerIssuer}); sign in as ${pipelineConfig.access.local.ownerEmail} with any password`,
  );
say(`ready: ${counts.items} item(s), ${counts.errors} error record(s) from ${counts.uploads} upload(s) · viewer ${pipeline.viewerUrl}`);
