import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueStageName } from '../functions/config/index.js';
import { InjectedFaultError, type FaultPlan, type FaultStats, type SqsHandler } from '../functions/adapters/faults/index.js';
import type { AwsTarget, ConditionalWriteSupport } from '../functions/adapters/store/index.js';
import { addFaultStats, noFaultStats } from './localFaults.js';
import type { ProcessKiller } from './processKills.js';

/** What a worker process builds its stage's handler from: all of it plain data, sent once over IPC. */
export interface WorkerSetup {
  stage: QueueStageName;
  service: string;
  /** The environment its Lambda function would be given (readLambdaEnv reads it). */
  env: Record<string, string>;
  s3: AwsTarget;
  sqs: AwsTarget;
  conditionalWrites: ConditionalWriteSupport;
  logLevel: string;
  /** The in-process fault switch (crashes, stalls, injected records), with this worker's own seed; stages that carry uploads. */
  faults?: FaultPlan;
}

/** Parent to child: one invocation, its context without the functions (they do not cross a process boundary). */
export interface Invocation {
  event: SQSEvent;
  context: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'>;
  remainingMs: number;
}

/** Child to parent. */
export type WorkerReport =
  | { type: 'ready' }
  | { type: 'write'; step: number }
  | { type: 'result'; response: SQSBatchResponse; faultStats: FaultStats }
  | { type: 'error'; message: string; injected: boolean; faultStats: FaultStats };

/** The process died before it answered: as on Lambda, nothing of its batch is deleted and all of it comes back. */
class WorkerProcessDiedError extends Error {
  constructor(readonly how: string) {
    super(`worker process died before it answered (${how})`);
    this.name = 'WorkerProcessDiedError';
  }
}

/** A kill the fault plan asked for: the point of a fault run, not news for its log. */
class WorkerProcessKilledError extends InjectedFaultError {
  constructor() {
    super('worker process killed (SIGKILL) by the fault plan before it answered');
    this.name = 'WorkerProcessKilledError';
  }
}

export interface ProcessWorker {
  handler: SqsHandler;
  /** The fault switch's counts from every process this worker has had. */
  faultStats(): FaultStats;
  stop(): Promise<void>;
}

const childEntry = fileURLToPath(new URL('./workerProcess.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * One execution environment as a child process: started on the first invocation (a cold start) and again after
 * it dies. Invocations go over IPC one at a time, as Lambda runs an environment. When the process dies before it
 * answers (the kill plan's SIGKILL, or a crash of its own), the invocation fails whole and nothing is deleted.
 */
export function startProcessWorker(setup: WorkerSetup, killer: ProcessKiller | undefined): ProcessWorker {
  let running: Promise<ChildProcess> | undefined;
  let pending: { resolve: (response: SQSBatchResponse) => void; reject: (error: Error) => void } | undefined;
  let killedByPlan = false;
  let retiredStats = noFaultStats;
  let currentStats = noFaultStats;
  const children = new Set<ChildProcess>();
  let generation = 0;

  function start(): Promise<ChildProcess> {
    generation += 1;
    // tsx resolved from the repository, whoever started us (a bench under tsx, vitest, npm start).
    const child = fork(childEntry, [], { cwd: repoRoot, execArgv: ['--import', 'tsx', '--no-warnings'] });
    children.add(child);
    return new Promise((resolveReady, rejectReady) => {
      child.on('message', (report: WorkerReport) => {
        if (report.type === 'ready') return resolveReady(child);
        if (report.type === 'write') return void (afterWrite === report.step && kill(child));
        currentStats = report.faultStats;
        const settle = pending;
        pending = undefined;
        clearTimeout(killTimer);
        if (report.type === 'result') settle?.resolve(report.response);
        else settle?.reject(report.injected ? new InjectedFaultError(report.message) : new Error(report.message));
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        running = undefined;
        retiredStats = addFaultStats(retiredStats, currentStats);
        currentStats = noFaultStats;
        clearTimeout(killTimer);
        const died = killedByPlan ? new WorkerProcessKilledError() : new WorkerProcessDiedError(signal ?? `exit code ${code}`);
        killedByPlan = false;
        rejectReady(died);
        pending?.reject(died);
        pending = undefined;
      });
      // Each process draws its own faults: a restarted worker does not replay its predecessor's.
      child.send({ ...setup, ...(setup.faults ? { faults: { ...setup.faults, seed: setup.faults.seed + generation * 7919 } } : {}) });
    });
  }

  let killTimer: NodeJS.Timeout | undefined;
  let afterWrite: number | undefined;
  function kill(child: ChildProcess): void {
    if (!pending || killedByPlan) return;
    killedByPlan = true;
    killer?.landed();
    child.kill('SIGKILL');
  }

  const handler: SqsHandler = async (event: SQSEvent, context: Context) => {
    const child = await (running ??= start());
    return new Promise<SQSBatchResponse>((resolve, reject) => {
      pending = { resolve, reject };
      const moment = killer?.draw();
      afterWrite = moment && 'afterWrite' in moment ? moment.afterWrite : undefined;
      if (moment && 'atMs' in moment) killTimer = setTimeout(() => kill(child), moment.atMs);
      const invocation: Invocation = { event, context, remainingMs: context.getRemainingTimeInMillis() };
      child.send(invocation);
    });
  };

  return {
    handler,
    faultStats: () => addFaultStats(retiredStats, currentStats),
    async stop() {
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolveExit) => {
              child.once('exit', () => resolveExit());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
