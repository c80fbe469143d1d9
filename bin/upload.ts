#!/usr/bin/env node
/** `npm run upload -- <files or folders…>`: puts media into the pipeline's bucket. Only wiring here. */
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { pipelineConfig } from '../functions/config/index.js';
import { collectFiles, localTarget, stackTarget, uploadFiles } from '../cli/index.js';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return parsed;
}

const program = new Command('npm run upload --')
  .description('Upload photos (files or whole folders) into the pipeline; each becomes an item or an error record.')
  .argument('<paths...>', 'files or folders to upload')
  .option('--stack <name>', 'upload to a deployed stack (resolved from its CloudFormation outputs) instead of the local mode')
  .option('--endpoint <url>', 'S3 endpoint of the local mode', undefined)
  .option('--concurrency <n>', 'files in flight at once', positiveInteger, 4)
  .parse();
const options = program.opts<{ stack?: string; endpoint?: string; concurrency: number }>();

try {
  const target = options.stack ? await stackTarget(options.stack) : localTarget(options.endpoint);
  const files = await collectFiles(program.args);
  if (files.length === 0) throw new Error('nothing to upload: the folders given hold no files');
  console.log(`uploading ${files.length} file(s) to ${target.description}`);
  const bar = new SingleBar({ format: 'uploading [{bar}] {value}/{total} {file}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 1000 });
  bar.start(files.length, 0, { file: '' });
  const results = await uploadFiles(files, {
    s3: target.s3,
    bucket: target.bucket,
    keyPrefix: pipelineConfig.prefixes.uploads,
    concurrency: options.concurrency,
    onDone: (result) => bar.increment({ file: result.file.relativeKey }),
  });
  bar.stop();
  for (const result of results) {
    console.log(
      result.error
        ? `FAILED ${result.file.path}: ${result.error}`
        : `${result.file.path} -> s3://${target.bucket}/${result.key}\n  view: ${target.viewerUrl}#item=${result.itemId}`,
    );
  }
  const failed = results.filter((result) => result.error).length;
  if (failed > 0) {
    console.error(`${failed} of ${results.length} upload(s) failed${options.stack ? '' : ' (is `npm start` running?)'}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`upload: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
