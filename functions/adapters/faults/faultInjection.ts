import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ObjectStore } from '../../domain/items/index.js';
import { createPrng } from '../../domain/vq/index.js';
import { InjectedCrashError, WorkerKilledError } from './errors.js';
import type { CrashMode, FaultPlan } from './faultPlan.js';
import { injectedIdPrefix, injectedRecord } from './injectedRecords.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface FaultStats {
  invocations: number;
  /** Invocations that crashed, either way. */
  crashes: number;
  /** Of those, the ones that killed the worker (the whole batch reappears). */
  kills: number;
  stalls: number;
  testEvents: number;
  unknownMessages: number;
}

/**
 * The switch for one worker (one Lambda execution environment): wrap its store
 * and its handler with the same injection, so a crash drawn for an invocation
 * hits at a write step of that invocation. One invocation at a time, as Lambda
 * runs an environment.
 */
export interface FaultInjection {
  wrapStore(store: ObjectStore): ObjectStore;
  wrapHandler(handler: SqsHandler): SqsHandler;
  stats(): FaultStats;
}

interface InvocationFaults {
  crashAt?: number;
  mode: CrashMode;
  stallAt?: number;
  writes: number;
  crashed: boolean;
  killed: boolean;
}

/** Store methods that change the bucket; each call is one write step. */
export const isWriteStep = (method: string): boolean => /^(put|delete|copy)/.test(method);

export function createFaultInjection(plan: FaultPlan): FaultInjection {
  const prng = createPrng(plan.seed);
  const stats: FaultStats = { invocations: 0, crashes: 0, kills: 0, stalls: 0, testEvents: 0, unknownMessages: 0 };
  let current: InvocationFaults | undefined;
  let serial = 0;

  function draw(): InvocationFaults & { testEvent: boolean; unknown: boolean } {
    // The same number of draws every time, so one seed replays the same faults.
    const crashes = prng.next() < plan.crashRate;
    const crashStep = 1 + prng.nextInt(plan.crashWithinWrites);
    const mode = plan.crashModes[prng.nextInt(plan.crashModes.length)]!;
    const stalls = prng.next() < plan.stallRate;
    const stallStep = 1 + prng.nextInt(plan.crashWithinWrites);
    const testEvent = prng.next() < plan.testEventRate;
    const unknown = prng.next() < plan.unknownMessageRate;
    const crashAt = plan.crashAfterWrite ?? (crashes ? crashStep : undefined);
    return { crashAt, mode, stallAt: stalls ? stallStep : undefined, writes: 0, crashed: false, killed: false, testEvent, unknown };
  }

  /** A dead worker does nothing more: every later call of its invocation fails at once. */
  function fence(invocation: InvocationFaults | undefined): void {
    if (invocation?.killed) throw new WorkerKilledError(invocation.crashAt ?? 'end');
  }

  function crash(invocation: InvocationFaults, step: number | 'end'): never {
    invocation.crashed = true;
    stats.crashes += 1;
    if (invocation.mode === 'kill' || step === 'end') {
      invocation.killed = true;
      stats.kills += 1;
      throw new WorkerKilledError(step);
    }
    throw new InjectedCrashError(step);
  }

  async function write<T>(run: () => Promise<T>): Promise<T> {
    const invocation = current;
    fence(invocation);
    if (invocation && invocation.stallAt === invocation.writes + 1) {
      stats.stalls += 1;
      await new Promise((resolve) => setTimeout(resolve, plan.stallMs));
      fence(invocation);
    }
    const result = await run();
    if (invocation) {
      invocation.writes += 1;
      if (invocation.crashAt === invocation.writes && !invocation.crashed) crash(invocation, invocation.writes);
    }
    return result;
  }

  return {
    stats: () => ({ ...stats }),

    wrapStore(store) {
      return new Proxy(store, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function' || typeof property !== 'string') return value;
          const method = value as (...args: unknown[]) => unknown;
          if (isWriteStep(property)) return (...args: unknown[]) => write(() => method.apply(target, args) as Promise<unknown>);
          return (...args: unknown[]) => {
            fence(current);
            return method.apply(target, args);
          };
        },
      });
    },

    wrapHandler(handler) {
      return async (event, context) => {
        const invocation = draw();
        stats.invocations += 1;
        const records = [...event.Records];
        if (invocation.testEvent) {
          stats.testEvents += 1;
          records.push(injectedRecord(event.Records[0], 'test-event', (serial += 1), prng));
        }
        if (invocation.unknown) {
          stats.unknownMessages += 1;
          records.push(injectedRecord(event.Records[0], 'unknown', (serial += 1), prng));
        }
        current = invocation;
        try {
          const response = await handler({ Records: records }, context);
          fence(invocation);
          // Planned past the last write: the worker dies after the batch, before the queue hears of it.
          if (invocation.crashAt !== undefined && !invocation.crashed) crash(invocation, 'end');
          // The queue knows nothing of injected records; naming one would fail the whole batch on Lambda.
          return {
            batchItemFailures: response.batchItemFailures.filter((failure) => !failure.itemIdentifier.startsWith(injectedIdPrefix)),
          };
        } finally {
          current = undefined;
        }
      };
    },
  };
}
