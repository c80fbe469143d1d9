import { Command, CommanderError, Option } from 'commander';
import { pipelineConfig } from '../functions/config/index.js';
import { backfillCommand } from './commands/backfill.js';
import { errorsCommand } from './commands/errors.js';
import { itemsCommand } from './commands/items.js';
import { openCommand } from './commands/open.js';
import { reconcileCommand } from './commands/reconcile.js';
import { redriveCommand } from './commands/redrive.js';
import { shareCommand } from './commands/share.js';
import { similarCommand } from './commands/similar.js';
import { statusCommand } from './commands/status.js';
import { uploadCommand } from './commands/upload.js';
import { CliError, connectionFailureOf, exitCodes } from './errors.js';

const exitCodeHelp = `
Exit codes:
  ${exitCodes.ok}  done, nothing needs attention
  ${exitCodes.failed}  something failed or needs attention (a file not uploaded or rejected, dead letters, messages a redrive left)
  ${exitCodes.usage}  the command line is wrong (unknown option, missing argument, no such file)
  ${exitCodes.unreachable}  the pipeline did not answer (is \`npm start\` running? AWS credentials and region?)
  ${exitCodes.notFound}  what you named does not exist (item, error record, stack)

Without --stack the CLI talks to the local mode (\`npm start\`) at the ports in functions/config/pipelineConfig.ts.`;

/** The `xr-media` command (also `npm run cli --`): one entry for every operation on a pipeline. */
function createProgram(): Command {
  const { local } = pipelineConfig;
  const program = new Command('xr-media')
    .description('Operate the XR media pipeline: upload, watch the queues, inspect items and errors, search, redrive, open the viewer.')
    .addOption(
      new Option('--stack <name>', `a deployed stack, found by name through CloudFormation (e.g. ${pipelineConfig.stackName})`).env(
        'XR_MEDIA_STACK',
      ),
    )
    .addOption(
      new Option(
        '--endpoint <url>',
        'one S3+SQS endpoint for both (moto_server, LocalStack under `npm start --endpoint`); with --stack, an AWS-compatible endpoint for CloudFormation, S3 and SQS',
      ).env('XR_MEDIA_ENDPOINT'),
    )
    .addOption(
      new Option('--s3-endpoint <url>', `the local mode's S3 (default http://127.0.0.1:${local.s3Port})`).env('XR_MEDIA_S3_ENDPOINT'),
    )
    .addOption(
      new Option('--sqs-endpoint <url>', `the local mode's SQS (default http://127.0.0.1:${local.sqsPort})`).env('XR_MEDIA_SQS_ENDPOINT'),
    )
    .addOption(
      new Option('--viewer-url <url>', `the local mode's viewer and API (default http://127.0.0.1:${local.httpPort}/)`).env(
        'XR_MEDIA_VIEWER_URL',
      ),
    )
    .addOption(
      new Option('--data-dir <dir>', `the local mode's data directory, where its signing key is (default ${local.dataDir})`).env(
        'XR_MEDIA_DATA_DIR',
      ),
    )
    .addHelpText('after', exitCodeHelp)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const command of [
    uploadCommand(),
    statusCommand(),
    itemsCommand(),
    errorsCommand(),
    similarCommand(),
    shareCommand(),
    redriveCommand(),
    reconcileCommand(),
    backfillCommand(),
    openCommand(),
  ]) {
    program.addCommand(command);
  }
  inheritErrorHandling(program);
  return program;
}

/** addCommand does not pass these on: without them a subcommand's usage error would exit 1 on its own. */
function inheritErrorHandling(parent: Command): void {
  for (const command of parent.commands) {
    command.exitOverride().showHelpAfterError('(add --help for usage)');
    inheritErrorHandling(command);
  }
}

/** Runs one command line and returns its exit code; errors are printed as one sentence on stderr. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version'
        ? exitCodes.ok
        : exitCodes.usage;
    }
    if (error instanceof CliError) {
      console.error(`xr-media: ${error.message}`);
      return error.exitCode;
    }
    const failure = connectionFailureOf(error);
    console.error(`xr-media: ${error instanceof Error ? error.message : String(error)}`);
    return failure ? exitCodes.unreachable : exitCodes.failed;
  }
}
