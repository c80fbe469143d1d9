import { readFile, stat } from 'node:fs/promises';
import { Command } from 'commander';
import type { SimilarItem } from '../../functions/stages/api/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { callApi } from '../apiClient.js';
import { ownerCookieHeader } from '../pipelineSigner.js';
import { exitCodes, UsageError, type ExitCode } from '../errors.js';
import { formatTable } from '../formatTable.js';
import { positiveInteger, printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

const itemIdPattern = /^[0-9a-f]{32}$/;

export function similarCommand(): Command {
  const { kDefault, kMax } = pipelineConfig.vq.query;
  return new Command('similar')
    .description('The items most like an item (by id) or like an image file, from the retrieval index (through the HTTP API).')
    .argument('<item-or-file>', 'an item id, or the path of an image to search with')
    .option('-k, --k <n>', `how many (at most ${kMax})`, positiveInteger, kDefault)
    .option('--json', 'print one JSON document')
    .action(async (subject: string, _options: unknown, command: Command) => {
      process.exitCode = await similar(subject, command.optsWithGlobals());
    });
}

async function similar(subject: string, options: TargetOptions & { k: number; json?: boolean }): Promise<ExitCode> {
  const file = await stat(subject).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!file && !itemIdPattern.test(subject))
    throw new UsageError(`${JSON.stringify(subject)} is neither an item id (32 hex characters) nor an image file`);
  const body = file ? await readFile(subject) : undefined;
  return withTarget(options, async (target) => {
    // Through CloudFront (or the local server), which wants the owner's signed cookies where sign-in is on.
    const cookie = await ownerCookieHeader(target.signingKey, target.viewerUrl.replace(/\/$/, ''));
    const answer = body
      ? await callApi<{ similar: SimilarItem[] }>(target.apiUrl, `search?k=${options.k}`, { method: 'POST', body, cookie })
      : await callApi<{ similar: SimilarItem[] }>(target.apiUrl, `items/${subject}/similar?k=${options.k}`, { cookie });
    if (options.json) {
      printJson(answer);
      return exitCodes.ok;
    }
    if (answer.similar.length === 0) {
      console.log('no similar items: the index holds no other item yet');
      return exitCodes.ok;
    }
    const rows = answer.similar.map((hit, rank) => [
      rank + 1,
      hit.score.toFixed(4),
      hit.itemId,
      hit.kind,
      `${hit.widthPx}×${hit.heightPx}`,
      `${target.viewerUrl}#item=${hit.itemId}`,
    ]);
    console.log(formatTable(['#', 'score', 'item', 'kind', 'size', 'view'], rows));
    return exitCodes.ok;
  });
}
