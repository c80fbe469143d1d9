import { Command } from 'commander';
import { countOutcomes } from '../../functions/stages/ingest/index.js';
import { queueDepths, S3IndexStorage } from '../../functions/adapters/store/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { createDefaultEmbedder } from '../../functions/domain/embed/index.js';
import { readActiveGeneration } from '../../functions/stages/retrieval/index.js';
import { exitCodes, type ExitCode } from '../errors.js';
import { formatBytes, formatTable } from '../formatTable.js';
import { indexSize } from '../indexSize.js';
import { printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

export function statusCommand(): Command {
  return new Command('status')
    .description('Queue depths, messages in flight, dead letters, and counts of uploads, items, error records and indexed items.')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExits 1 when a dead-letter queue holds messages (see `redrive`), 0 otherwise.')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await status(command.optsWithGlobals<TargetOptions & { json?: boolean }>());
    });
}

async function status(options: TargetOptions & { json?: boolean }): Promise<ExitCode> {
  return withTarget(options, async (target) => {
    const queues = await target.queues();
    // Without index/active.json nothing has been indexed yet, so the fallback's choice of embedder does not matter.
    const storage = new S3IndexStorage(target.s3, target.bucket, 'emulated');
    const active = await readActiveGeneration(storage, createDefaultEmbedder(), pipelineConfig.vq.shards);
    const [depths, counts, size] = await Promise.all([
      Promise.all(queues.map((queue) => queueDepths(target.sqs, queue))),
      countOutcomes(target.store),
      indexSize(target.store, active.root),
    ]);
    const index = { ...size, embedder: active.embedder };
    const deadLetters = depths.reduce((sum, queue) => sum + queue.deadLetters, 0);
    if (options.json) {
      printJson({ target: target.description, queues: depths, ...counts, index });
    } else {
      console.log(target.description);
      console.log(
        formatTable(
          ['queue', 'waiting', 'in flight', 'delayed', 'dead letters'],
          depths.map((queue) => [queue.name, queue.waiting, queue.inFlight, queue.delayed, queue.deadLetters]),
        ),
      );
      console.log(`uploads ${counts.uploads} · items ${counts.items} · error records ${counts.errors}`);
      console.log(
        `index ${index.liveItems} item(s) in ${index.builtShards} of ${index.shards} shard(s), ${index.lists} list(s), ${formatBytes(index.bytes)}, ${index.embedder.name} ${index.embedder.version}`,
      );
      if (index.legacyShards > 0)
        console.log(`${index.legacyShards} shard(s) in the old segment layout: the indexer rewrites each at its next commit`);
    }
    if (deadLetters === 0) return exitCodes.ok;
    console.error(`${deadLetters} dead letter(s): see why with \`redrive --dry-run\`, move them back with \`redrive\``);
    return exitCodes.failed;
  });
}
