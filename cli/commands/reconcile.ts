import { Command, InvalidArgumentError } from 'commander';
import { pipelineConfig } from '../../functions/config/index.js';
import { requeueUnprocessedUploads } from '../../functions/adapters/store/index.js';
import { exitCodes, type ExitCode } from '../errors.js';
import { printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

function minutes(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('must be a number of minutes ≥ 0');
  return parsed;
}

export function reconcileCommand(): Command {
  const stackDefaultMinutes = pipelineConfig.reconcile.minUploadAgeSeconds / 60;
  return new Command('reconcile')
    .description(
      'Announce again every upload that has neither an item nor an error record (its event was lost), as the scheduled sweep does.',
    )
    .option(
      '--min-age <minutes>',
      `leave younger uploads alone: their event may still be on its way (default 0 locally, ${stackDefaultMinutes} on a stack)`,
      minutes,
    )
    .option('--json', 'print one JSON document')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await reconcile(command.optsWithGlobals());
    });
}

async function reconcile(options: TargetOptions & { minAge?: number; json?: boolean }): Promise<ExitCode> {
  return withTarget(options, async (target) => {
    const ingest = (await target.queues()).find((queue) => queue.name === 'ingest');
    if (!ingest) throw new Error(`${target.description} has no ingest queue`);
    const minAgeMinutes = options.minAge ?? (target.mode === 'local' ? 0 : pipelineConfig.reconcile.minUploadAgeSeconds / 60);
    const result = await requeueUnprocessedUploads(
      target.store,
      { sqs: target.sqs, ingestQueueUrl: ingest.url, bucket: target.bucket, region: target.region },
      { minAgeMs: minAgeMinutes * 60_000, now: new Date() },
    );
    if (options.json) {
      printJson(result);
      return exitCodes.ok;
    }
    for (const key of result.requeued) console.log(`re-enqueued ${key}`);
    console.log(
      result.requeued.length === 0
        ? 'nothing to reconcile: every upload has an item or an error record, or is younger than the minimum age'
        : `re-enqueued ${result.requeued.length} upload(s); watch them with \`status\``,
    );
    if (result.tooYoung > 0) console.log(`${result.tooYoung} upload(s) younger than ${minAgeMinutes} minutes left alone (--min-age)`);
    return exitCodes.ok;
  });
}
