import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { pipelineConfig } from '../../functions/config/index.js';
import { collectFiles } from '../collectFiles.js';
import { exitCodes, NotFoundError, UsageError, type ExitCode } from '../errors.js';
import { formatBytes } from '../formatTable.js';
import { positiveInteger } from '../optionParsers.js';
import { uploadFiles, type UploadResult } from '../uploadFiles.js';
import { waitForOutcomes, type UploadOutcome } from '../waitForOutcomes.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

interface UploadOptions extends TargetOptions {
  concurrency: number;
  force?: boolean;
  wait?: boolean;
  timeout: number;
}

export function uploadCommand(): Command {
  return new Command('upload')
    .description('Upload photos and videos (files or whole folders) into the pipeline; each becomes an item or an error record.')
    .argument('<paths...>', 'files or folders (folders are walked recursively; hidden files are skipped)')
    .option('--concurrency <n>', 'files in flight at once', positiveInteger, 4)
    .option('--force', 'upload again even when the same bytes are already under the same key')
    .option('--wait', 'wait until each upload is an item or an error record, and exit 1 if any was rejected')
    .option('--timeout <seconds>', 'how long --wait waits', positiveInteger, 600)
    .addHelpText(
      'after',
      '\nResumable: a file whose key already holds the same size and content hash is skipped, so running the same\n' +
        'command again after an interruption uploads only what is missing. Keys are uploads/<folder name>/<path in it>.',
    )
    .action(async (paths: string[], _options: unknown, command: Command) => {
      process.exitCode = await upload(paths, command.optsWithGlobals<UploadOptions>());
    });
}

async function upload(paths: string[], options: UploadOptions): Promise<ExitCode> {
  const files = await collectFiles(paths);
  if (files.length === 0) throw new UsageError('nothing to upload: the folders given hold no files');
  return withTarget(options, async (target) => {
    await target.s3.send(new HeadBucketCommand({ Bucket: target.bucket })).catch((error: unknown) => {
      if ((error as { name?: string }).name === 'NotFound')
        throw new NotFoundError(`bucket ${target.bucket} does not exist at ${target.description}`);
      throw error;
    });
    const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
    console.log(`uploading ${files.length} file(s), ${formatBytes(totalBytes)}, to ${target.description}`);
    const bar = new SingleBar({
      format: 'uploading [{bar}] {value}/{total} {file}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    });
    bar.start(files.length, 0, { file: '' });
    const results = await uploadFiles(files, {
      s3: target.s3,
      bucket: target.bucket,
      keyPrefix: pipelineConfig.prefixes.uploads,
      concurrency: options.concurrency,
      force: options.force,
      onDone: (result) => bar.increment({ file: result.file.relativeKey }),
    });
    bar.stop();
    for (const result of results) console.log(describeUpload(result, target.viewerUrl));
    const failed = results.filter((result) => result.status === 'failed');
    const skipped = results.filter((result) => result.status === 'skipped').length;
    console.log(`uploaded ${results.length - failed.length - skipped}, skipped ${skipped} (already there), failed ${failed.length}`);
    if (failed.length > 0)
      console.error(`${failed.length} of ${results.length} file(s) were not uploaded; run the same command again to retry them`);
    if (!options.wait) return failed.length > 0 ? exitCodes.failed : exitCodes.ok;

    const sent = results.filter((result) => result.status !== 'failed');
    console.log(`waiting for ${sent.length} upload(s) to become items (at most ${options.timeout} s)`);
    const byKey = new Map(sent.map((result) => [result.key, result]));
    const outcomes = await waitForOutcomes(target.store, [...byKey.keys()], {
      timeoutMs: options.timeout * 1000,
      onSettled: (outcome) => console.log(describeOutcome(outcome, byKey.get(outcome.key)!, target.viewerUrl)),
    });
    const pending = outcomes.filter((outcome) => outcome.outcome === 'pending');
    for (const outcome of pending) console.log(describeOutcome(outcome, byKey.get(outcome.key)!, target.viewerUrl));
    const rejected = outcomes.filter((outcome) => outcome.outcome === 'rejected').length;
    console.log(`items ${outcomes.length - rejected - pending.length}, rejected ${rejected}, still processing ${pending.length}`);
    return failed.length + rejected + pending.length > 0 ? exitCodes.failed : exitCodes.ok;
  });
}

function describeUpload(result: UploadResult, viewerUrl: string): string {
  if (result.status === 'failed') return `FAILED    ${result.file.path}: ${result.error}`;
  const verb = result.status === 'skipped' ? 'skipped ' : 'uploaded';
  return `${verb}  ${result.file.path} -> ${result.key}  ${viewerUrl}#item=${result.itemId}`;
}

function describeOutcome(outcome: UploadOutcome, result: UploadResult, viewerUrl: string): string {
  if (outcome.outcome === 'item') return `item      ${result.file.path}  ${viewerUrl}#item=${result.itemId}`;
  if (outcome.outcome === 'rejected') return `REJECTED  ${result.file.path}: ${outcome.code}: ${outcome.reason}`;
  return `PENDING   ${result.file.path}: not processed yet; see \`status\` and \`errors\``;
}
