import { Command } from 'commander';
import { listErrorRecords } from '../../functions/domain/items/index.js';
import { findErrorRecord } from '../errorRecords.js';
import { exitCodes, NotFoundError, type ExitCode } from '../errors.js';
import { formatTable } from '../formatTable.js';
import { positiveInteger, printJson } from '../optionParsers.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

export function errorsCommand(): Command {
  const errors = new Command('errors').description('List error records (uploads that did not become items, and why), or show one.');
  errors
    .command('list', { isDefault: true })
    .description('List error records, newest first.')
    .option('--limit <n>', 'records to print', positiveInteger, 50)
    .option('--json', 'print one JSON array')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await list(command.optsWithGlobals());
    });
  errors
    .command('show')
    .description('Print one error record (JSON).')
    .argument('<upload>', 'the upload key (uploads/a.jpg, or a.jpg) or the record id `errors` prints')
    .action(async (name: string, _options: unknown, command: Command) => {
      process.exitCode = await show(name, command.optsWithGlobals());
    });
  return errors;
}

async function list(options: TargetOptions & { limit: number; json?: boolean }): Promise<ExitCode> {
  return withTarget(options, async (target) => {
    const records = await listErrorRecords(target.store);
    const shown = records.slice(0, options.limit);
    if (options.json) {
      printJson(shown);
      return exitCodes.ok;
    }
    if (records.length === 0) {
      console.log('no error records: every upload so far became an item or is still being processed');
      return exitCodes.ok;
    }
    console.log(
      formatTable(
        ['record', 'recorded', 'code', 'upload', 'reason'],
        shown.map((record) => [record.recordId, record.recordedAt, record.code, record.key, record.reason]),
      ),
    );
    if (records.length > shown.length) console.log(`${records.length - shown.length} more: --limit ${records.length}`);
    return exitCodes.ok;
  });
}

async function show(name: string, options: TargetOptions): Promise<ExitCode> {
  return withTarget(options, async (target) => {
    const record = await findErrorRecord(target.store, name);
    if (!record) throw new NotFoundError(`no error record for ${JSON.stringify(name)}`);
    console.log(JSON.stringify(record, null, 2));
    return exitCodes.ok;
  });
}
