import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalPipelineOptions } from './localPipeline.js';
import type { PipelineCommand, PipelineReport, PipelineStatus, ReconcileSummary } from './pipelineProcess.js';

export interface PipelineProcess {
  viewerUrl: string;
  /** What reconciliation did when this process started. */
  startupSweep: ReconcileSummary;
  /** The last status it reported (every 250 ms, and after each command): what a crash leaves of its counters. */
  status(): PipelineStatus | undefined;
  waitForIdle(timeoutMs: number): Promise<void>;
  reconcile(options: { orphanMinAgeMs: number }): Promise<ReconcileSummary>;
  /** kill -9 of every process of the pipeline at once (its process group: mappings, workers, server), as a machine dies. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Omit distributed over a union's members. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const entry = fileURLToPath(new URL('./pipelineProcess.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The local pipeline (`storage` given: S3 and SQS run elsewhere, local/storageHost.ts) in a process group of its own,
 * driven over IPC. Its worker processes are in the same group, so `crash` takes every one of them down together.
 */
export async function startPipelineProcess(options: LocalPipelineOptions & { storage: object }): Promise<PipelineProcess> {
  // detached: a new process group (its leader's pid), which one signal reaches whole.
  const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', entry], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let last: PipelineStatus | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (value?: ReconcileSummary) => void; reject: (error: Error) => void }>();
  let ready!: (report: Extract<PipelineReport, { type: 'ready' }>) => void;
  const started = new Promise<Extract<PipelineReport, { type: 'ready' }>>((resolve, reject) => {
    ready = resolve;
    void exited.then(() => reject(new Error('the pipeline process exited before it was ready')));
  });
  child.on('message', (report: PipelineReport) => {
    if (report.type === 'ready') return ready(report);
    if (report.type === 'status') return void (last = report.status);
    const pending = waiting.get(report.id);
    waiting.delete(report.id);
    if (report.type === 'reply') pending?.resolve(report.value);
    else pending?.reject(new Error(report.message));
  });
  void exited.then(() => {
    for (const pending of waiting.values()) pending.reject(new Error('the pipeline process is gone'));
    waiting.clear();
  });
  const ask = (command: WithoutId<Extract<PipelineCommand, { id: number }>>) =>
    new Promise<ReconcileSummary | undefined>((resolve, reject) => {
      nextId += 1;
      waiting.set(nextId, { resolve, reject });
      child.send({ ...command, id: nextId });
    });
  const start: PipelineCommand = { type: 'start', options };
  child.send(start);
  const { viewerUrl, startupSweep } = await started;
  const killGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, signal);
    await exited;
  };
  return {
    viewerUrl,
    startupSweep,
    status: () => last,
    waitForIdle: async (timeoutMs) => void (await ask({ type: 'idle', timeoutMs })),
    reconcile: async ({ orphanMinAgeMs }) => (await ask({ type: 'reconcile', orphanMinAgeMs }))!,
    crash: () => killGroup('SIGKILL'),
    // Nothing to save: a stop is a crash that nobody minds (all state is in the storage).
    stop: () => killGroup('SIGKILL'),
  };
}
