import { Command, InvalidArgumentError } from 'commander';
import pLimit from 'p-limit';
import { SingleBar } from 'cli-progress';
import { embeddingModelSetting, pipelineConfig } from '../../functions/config/index.js';
import { configuredEmbedder } from '../../functions/adapters/embed/index.js';
import { S3IndexStorage, SqsIndexUpdateQueue } from '../../functions/adapters/store/index.js';
import { embedderKey } from '../../functions/domain/embed/index.js';
import { getJson, itemKeys, type ItemManifest, type ObjectStore } from '../../functions/domain/items/index.js';
import {
  activateGeneration,
  backfillItem,
  generationOf,
  readActiveGeneration,
  type BackfillOutcome,
} from '../../functions/stages/retrieval/index.js';
import { videoFramesFrom } from '../backfillVideoFrames.js';
import { exitCodes, type ExitCode } from '../errors.js';
import { indexSize } from '../indexSize.js';
import { printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

interface BackfillOptions extends TargetOptions {
  embeddingModel?: string;
  embeddingSpec?: string;
  concurrency: number;
  timeout: number;
  switch: boolean;
  json?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return parsed;
}

export function backfillCommand(): Command {
  return new Command('backfill')
    .description(
      "Re-embed every ready item with the configured embedder into that embedder's own index, then switch queries to it. The index answering now keeps answering until the switch. Safe to interrupt: run it again and it resumes.",
    )
    .option(
      '--embedding-model <path|s3://…>',
      'the ONNX model the pipeline is configured with (as given to `npm start` or `cdk deploy`); default: the built-in embedder',
    )
    .option('--embedding-spec <file>', "the model's declaration, JSON (default: pipelineConfig.embedding.onnx)")
    .option('--concurrency <n>', 'items embedded at once', positiveInteger, 4)
    .option('--timeout <seconds>', 'how long to wait for the index to hold every item', positiveInteger, 600)
    .option('--no-switch', 'fill the new index but leave queries on the current one')
    .option('--json', 'print one JSON document')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await backfill(command.optsWithGlobals<BackfillOptions>());
    });
}

async function backfill(options: BackfillOptions): Promise<ExitCode> {
  const setting = embeddingModelSetting(
    { model: options.embeddingModel, specFile: options.embeddingSpec },
    { model: '--embedding-model', specFile: '--embedding-spec' },
    false,
  );
  return withTarget(options, async (target) => {
    const say = (line: string) => (options.json ? console.error(line) : console.log(line));
    const embedder = await configuredEmbedder(setting, target.s3)();
    const { shards } = pipelineConfig.vq;
    const storage = new S3IndexStorage(target.s3, target.bucket, target.mode === 'local' ? 'emulated' : 'native');
    const before = await readActiveGeneration(storage, embedder, shards);
    const filling = generationOf(embedder);
    say(`queries answer from ${describe(before.embedder)}; filling the index of ${describe(embedder)} (index/${filling.root}/)`);

    const itemIds = await listItemIds(target.store);
    const indexQueue = (await target.queues()).find((queue) => queue.name === 'index');
    if (!indexQueue) throw new Error(`${target.description} has no index queue`);
    const deps = {
      store: target.store,
      embedder,
      indexUpdates: new SqsIndexUpdateQueue(target.sqs, indexQueue.url, shards),
      videoFrames: videoFramesFrom(target.store),
    };
    const counts: Record<BackfillOutcome | 'failed', number> = { embedded: 0, present: 0, 'not-ready': 0, 'source-gone': 0, failed: 0 };
    const failures: { itemId: string; reason: string }[] = [];
    const bar = new SingleBar({
      format: 'embedding [{bar}] {value}/{total} {itemId}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    });
    bar.start(itemIds.length, 0, { itemId: '' });
    await pLimit(options.concurrency).map(itemIds, async (itemId) => {
      try {
        const manifest = await getJson<ItemManifest>(target.store, itemKeys.manifest(itemId));
        counts[manifest ? await backfillItem(deps, manifest) : 'source-gone'] += 1;
      } catch (error) {
        counts.failed += 1;
        failures.push({ itemId, reason: error instanceof Error ? error.message : String(error) });
      }
      bar.increment({ itemId });
    });
    bar.stop();
    for (const { itemId, reason } of failures) console.error(`${itemId}: not embedded: ${reason}`);
    const announced = counts.embedded + counts.present;
    say(
      `embedded ${counts.embedded}, already embedded ${counts.present}, not ready ${counts['not-ready']}, source gone ${counts['source-gone']}, failed ${counts.failed}`,
    );

    const indexed = await waitForIndex(target.store, filling.root, announced, options.timeout * 1000, say);
    const complete = counts.failed === 0 && indexed >= announced;
    let switched = false;
    if (!complete) {
      console.error(
        `the index of ${describe(embedder)} is not complete (${indexed} of ${announced} items); queries stay where they are; run backfill again`,
      );
    } else if (before.root === filling.root) {
      say(`queries already answer from ${describe(embedder)}`);
    } else if (options.switch) {
      await activateGeneration(storage, embedder);
      switched = true;
      say(`queries now answer from ${describe(embedder)} (${indexed} items); index/${before.root || '<shard>'}/ is left as it was`);
    } else {
      say(`complete; queries stay on ${describe(before.embedder)} (--no-switch)`);
    }
    if (options.json) printJson({ embedder: embedderKey(embedder), items: itemIds.length, ...counts, indexed, complete, switched });
    return complete ? exitCodes.ok : exitCodes.failed;
  });
}

const describe = (embedder: { name: string; version: string }) => `${embedder.name} ${embedder.version}`;

async function listItemIds(store: ObjectStore): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listFolders(pipelineConfig.prefixes.items, 1000, cursor);
    ids.push(...page.folders);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Polls the new index's manifests until they hold `expected` items (more when uploads arrive meanwhile) or the time is up. */
async function waitForIndex(
  store: ObjectStore,
  root: string,
  expected: number,
  timeoutMs: number,
  say: (line: string) => void,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const { liveItems } = await indexSize(store, root);
    if (liveItems >= expected || Date.now() > deadline) return liveItems;
    if (liveItems !== last) say(`waiting for the indexer: ${liveItems} of ${expected} items`);
    last = liveItems;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
