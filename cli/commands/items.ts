import { Command } from 'commander';
import { listItems } from '../../functions/stages/api/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { getJson, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { exitCodes, NotFoundError, UsageError, type ExitCode } from '../errors.js';
import { formatBytes, formatTable } from '../formatTable.js';
import { positiveInteger, printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

const itemIdPattern = /^[0-9a-f]{32}$/;

export function itemsCommand(): Command {
  const items = new Command('items').description('List items, or show one item’s manifest.');
  items
    .command('list', { isDefault: true })
    .description('List items in item-id order, a page at a time.')
    .option(
      '--limit <n>',
      `items per page (at most ${pipelineConfig.api.itemsPageSizeMax})`,
      positiveInteger,
      pipelineConfig.api.itemsPageSizeDefault,
    )
    .option('--cursor <itemId>', 'start after this item (the cursor the previous page printed)')
    .option('--json', 'print one JSON document ({ items, nextCursor })')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await list(command.optsWithGlobals());
    });
  items
    .command('show')
    .description('Print an item’s manifest (JSON) and its link in the viewer.')
    .argument('<itemId>', '32 hex characters, as `items` and `upload` print')
    .action(async (itemId: string, _options: unknown, command: Command) => {
      process.exitCode = await show(itemId, command.optsWithGlobals());
    });
  return items;
}

async function list(options: TargetOptions & { limit: number; cursor?: string; json?: boolean }): Promise<ExitCode> {
  if (options.limit > pipelineConfig.api.itemsPageSizeMax)
    throw new UsageError(`--limit is at most ${pipelineConfig.api.itemsPageSizeMax}`);
  if (options.cursor !== undefined && !itemIdPattern.test(options.cursor))
    throw new UsageError(`--cursor must be an item id (32 hex characters), got ${JSON.stringify(options.cursor)}`);
  return withTarget(options, async (target) => {
    const page = await listItems(target.store, options.limit, options.cursor);
    if (options.json) {
      printJson(page);
      return exitCodes.ok;
    }
    if (page.items.length === 0)
      console.log(options.cursor ? 'no more items' : 'no items yet: upload some with `upload <files or folders>`');
    else console.log(formatTable(['item', 'kind', 'status', 'size', 'bytes', 'source'], page.items.map(describeItem)));
    if (page.nextCursor) console.log(`more: items --cursor ${page.nextCursor}`);
    return exitCodes.ok;
  });
}

function describeItem(item: ItemManifest): (string | number)[] {
  const duration = item.video ? ` ${item.video.durationSeconds.toFixed(1)} s` : '';
  return [
    item.itemId,
    item.kind,
    item.status,
    `${item.widthPx}×${item.heightPx}${duration}`,
    formatBytes(item.source.bytes),
    item.source.key,
  ];
}

async function show(itemId: string, options: TargetOptions): Promise<ExitCode> {
  if (!itemIdPattern.test(itemId)) throw new UsageError(`an item id is 32 lowercase hex characters, got ${JSON.stringify(itemId)}`);
  return withTarget(options, async (target) => {
    const manifest = await getJson<ItemManifest>(target.store, itemKeys.manifest(itemId));
    if (!manifest)
      throw new NotFoundError(`no item ${itemId} (it may still be processing: see \`status\`; or it was rejected: see \`errors\`)`);
    console.log(JSON.stringify(manifest, null, 2));
    console.error(`view: ${target.viewerUrl}#item=${itemId}`);
    return exitCodes.ok;
  });
}
