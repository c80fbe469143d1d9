import { Command } from 'commander';
import { exitCodes, UsageError, type ExitCode } from '../errors.js';
import { openUrl } from '../openUrl.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

export function openCommand(): Command {
  return new Command('open')
    .description('Print the viewer URL (or an item’s link in it) and open it in the default browser ($BROWSER if set).')
    .argument('[itemId]', 'open this item')
    .option('--print', 'only print the URL')
    .action(async (itemId: string | undefined, _options: unknown, command: Command) => {
      process.exitCode = await open(itemId, command.optsWithGlobals());
    });
}

async function open(itemId: string | undefined, options: TargetOptions & { print?: boolean }): Promise<ExitCode> {
  if (itemId !== undefined && !/^[0-9a-f]{32}$/.test(itemId))
    throw new UsageError(`an item id is 32 lowercase hex characters, got ${JSON.stringify(itemId)}`);
  return withTarget(options, async (target) => {
    const url = itemId ? `${target.viewerUrl}#item=${itemId}` : target.viewerUrl;
    // The viewer must answer before a browser is sent to it; fetch failing to connect becomes exit code 3.
    const response = await fetch(target.viewerUrl, { method: 'HEAD' });
    if (!response.ok) console.error(`the viewer answered ${response.status} at ${target.viewerUrl}`);
    console.log(url);
    if (options.print) return response.ok ? exitCodes.ok : exitCodes.failed;
    try {
      await openUrl(url);
    } catch (error) {
      console.error(`could not open a browser (${error instanceof Error ? error.message : String(error)}); open the URL above yourself`);
      return exitCodes.failed;
    }
    return response.ok ? exitCodes.ok : exitCodes.failed;
  });
}
