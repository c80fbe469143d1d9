import { Command, InvalidArgumentError } from 'commander';
import ms from 'ms';
import { pipelineConfig } from '../../functions/config/index.js';
import { getJson, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { createShareLink, InvalidShareError } from '../../functions/stages/access/index.js';
import { exitCodes, NotFoundError, UsageError, type ExitCode } from '../errors.js';
import { printJson } from '../optionParsers.js';
import { pipelineSigner } from '../pipelineSigner.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

const { defaultShareSeconds, maxShareSeconds } = pipelineConfig.access;

/** `7d`, `12h`, `90m`, `3600s` (ms's notation) to whole seconds. */
function durationSeconds(text: string): number {
  const milliseconds = ms(text as ms.StringValue) as number | undefined;
  if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds) || milliseconds <= 0)
    throw new InvalidArgumentError('a duration such as 7d, 12h or 90m');
  return Math.round(milliseconds / 1000);
}

export function shareCommand(): Command {
  return new Command('share')
    .description('Print a link that opens one item, and nothing else, until it expires (signed with the pipeline’s CloudFront key).')
    .argument('<itemId>', 'the item to share')
    .option(
      '--expires <duration>',
      `how long the link works, at most ${ms(maxShareSeconds * 1000, { long: true })}`,
      durationSeconds,
      defaultShareSeconds,
    )
    .option('--json', 'print one JSON document')
    .action(async (itemId: string, _options: unknown, command: Command) => {
      process.exitCode = await share(itemId, command.optsWithGlobals());
    });
}

async function share(itemId: string, options: TargetOptions & { expires: number; json?: boolean }): Promise<ExitCode> {
  if (!/^[0-9a-f]{32}$/.test(itemId)) throw new UsageError(`an item id is 32 lowercase hex characters, got ${JSON.stringify(itemId)}`);
  return withTarget(options, async (target) => {
    if (!(await getJson<ItemManifest>(target.store, itemKeys.manifest(itemId))))
      throw new NotFoundError(`no item ${itemId} in ${target.description}`);
    const signer = await pipelineSigner(target.signingKey);
    let link: { url: string; expiresAt: string };
    try {
      link = createShareLink(itemId, options.expires, { siteOrigin: target.viewerUrl.replace(/\/$/, ''), signer, nowMs: Date.now() });
    } catch (error) {
      if (error instanceof InvalidShareError) throw new UsageError(error.message);
      throw error;
    }
    if (options.json) printJson({ itemId, ...link });
    else console.log(`${link.url}\nopens item ${itemId} until ${link.expiresAt}`);
    return exitCodes.ok;
  });
}
