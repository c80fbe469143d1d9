import { Command } from 'commander';
import {
  listDeadLetters,
  queueDepths,
  type DeadLetter,
  type DeadLetterSource,
  type QueuePair,
} from '../../functions/adapters/store/index.js';
import { exitCodes, UsageError, type ExitCode } from '../errors.js';
import { formatTable } from '../formatTable.js';
import { positiveInteger, printJson } from '../optionParsers.js';
import type { PipelineTarget } from '../resolveTarget.js';
import { redriveQueue, type RedriveResult } from '../redriveQueue.js';
import { withTarget, type TargetOptions } from '../withTarget.js';

interface RedriveOptions extends TargetOptions {
  dryRun?: boolean;
  json?: boolean;
  timeout: number;
}

/** Dead-letter queues whose bodies functions/adapters/store can read (the uploads each names, and why it failed). */
const describedSources: readonly string[] = ['ingest', 'video'] satisfies DeadLetterSource[];

export function redriveCommand(): Command {
  return new Command('redrive')
    .description('Move dead letters back to their work queue, so the functions try them again (after you fixed the cause).')
    .argument('[queues...]', 'which queues (ingest, video, index, …); default: every queue')
    .option('--dry-run', 'list the dead letters and why each failed; move nothing')
    .option('--timeout <seconds>', 'how long to wait for a move task to finish', positiveInteger, 300)
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nUses SQS StartMessageMoveTask where the endpoint has it (AWS), otherwise receives, re-sends and deletes\n' +
        'each message (the local emulator). Exits 0 when every chosen dead-letter queue ends empty (nothing to do\n' +
        'included), 1 when messages were left behind.',
    )
    .action(async (names: string[], _options: unknown, command: Command) => {
      process.exitCode = await redrive(names, command.optsWithGlobals<RedriveOptions>());
    });
}

async function redrive(names: string[], options: RedriveOptions): Promise<ExitCode> {
  return withTarget(options, async (target) => {
    const queues = chooseQueues(await target.queues(), names);
    if (options.dryRun) return listOnly(target, queues, options);
    const results: RedriveResult[] = [];
    for (const queue of queues) results.push(await redriveQueue(target.sqs, queue, { timeoutMs: options.timeout * 1000 }));
    if (options.json) printJson(results);
    else for (const result of results) console.log(describeRedrive(result));
    const found = results.reduce((sum, result) => sum + result.found, 0);
    if (!options.json && found === 0) console.log('nothing to redrive: every dead-letter queue is empty');
    return results.some((result) => result.left > 0 || result.failure) ? exitCodes.failed : exitCodes.ok;
  });
}

function chooseQueues(queues: QueuePair[], names: string[]): QueuePair[] {
  if (names.length === 0) return queues;
  const known = new Map(queues.map((queue) => [queue.name, queue]));
  return names.map((name) => {
    const queue = known.get(name);
    if (!queue) throw new UsageError(`no queue ${JSON.stringify(name)}; the queues are ${[...known.keys()].join(', ')}`);
    return queue;
  });
}

async function listOnly(target: PipelineTarget, queues: QueuePair[], options: RedriveOptions): Promise<ExitCode> {
  const listed: { queue: string; count: number; letters?: DeadLetter[] }[] = [];
  for (const queue of queues) {
    const count = (await queueDepths(target.sqs, queue)).deadLetters;
    const letters =
      count > 0 && describedSources.includes(queue.name)
        ? await listDeadLetters({
            sqs: target.sqs,
            deadLetterQueueUrl: queue.deadLetterUrl,
            store: target.store,
            source: queue.name as DeadLetterSource,
          })
        : undefined;
    listed.push({ queue: queue.name, count, ...(letters ? { letters } : {}) });
  }
  if (options.json) {
    printJson(listed);
  } else {
    for (const { queue, count, letters } of listed) {
      console.log(`${queue}: ${count} dead letter(s)`);
      const rows = (letters ?? []).flatMap((letter) =>
        letter.reasons.map((reason) => [letter.messageId, letter.receiveCount, reason.key ?? '-', reason.code, reason.reason]),
      );
      if (rows.length > 0) console.log(formatTable(['message', 'receives', 'upload', 'code', 'reason'], rows));
    }
  }
  return listed.some((entry) => entry.count > 0) ? exitCodes.failed : exitCodes.ok;
}

function describeRedrive(result: RedriveResult): string {
  if (result.method === 'none') return `${result.queue}: dead-letter queue empty`;
  const how = result.method === 'message-move-task' ? 'SQS message move task' : 'receive, send, delete';
  const left = result.left > 0 ? `, ${result.left} left in the dead-letter queue` : '';
  return `${result.queue}: moved ${result.moved} of ${result.found} message(s) back to the work queue (${how})${left}${result.failure ? `: ${result.failure}` : ''}`;
}
