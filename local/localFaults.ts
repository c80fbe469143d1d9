import {
  createFaultInjection,
  InjectedFaultError,
  type FaultInjection,
  type FaultPlan,
  type FaultStats,
  type SqsHandler,
} from '../functions/adapters/faults/index.js';
import type { ObjectStore } from '../functions/domain/items/index.js';
import { createPrng } from '../functions/domain/vq/index.js';

/**
 * The fault switch of the local runner: each worker (one emulated Lambda
 * environment) gets its own injection over its store, and every S3
 * event is delivered as many times as the plan says. Without a plan it changes nothing.
 */
export interface LocalFaults {
  /** A worker's handler, built with the store wrapper it must apply (as withFaultSwitch does in Lambda). */
  worker(build: (wrapStore: (store: ObjectStore) => ObjectStore) => SqsHandler): SqsHandler;
  /** How many times to deliver the next S3 event. */
  deliveries(): number;
  /** Totals over every worker so far. */
  stats(): FaultStats;
}

export function createLocalFaults(plan: FaultPlan | undefined): LocalFaults {
  const injections: FaultInjection[] = [];
  const deliveryDice = createPrng((plan?.seed ?? 0) ^ 0x5eed);
  return {
    worker(build) {
      if (!plan) return build((store) => store);
      // A seed per worker: workers draw their own faults, and a run with the same plan replays them.
      const injection = createFaultInjection({ ...plan, seed: plan.seed + injections.length + 1 });
      injections.push(injection);
      return injection.wrapHandler(build((store) => injection.wrapStore(store)));
    },
    deliveries() {
      if (!plan) return 1;
      const { min, max } = plan.deliveries;
      return min + deliveryDice.nextInt(max - min + 1);
    },
    stats: () => injections.reduce((total, injection) => addFaultStats(total, injection.stats()), noFaultStats),
  };
}

export const noFaultStats: FaultStats = { invocations: 0, crashes: 0, kills: 0, stalls: 0, testEvents: 0, unknownMessages: 0 };

export function addFaultStats(a: FaultStats, b: FaultStats): FaultStats {
  const total = { ...a };
  for (const name of Object.keys(total) as (keyof FaultStats)[]) total[name] += b[name];
  return total;
}

/** Injected faults are the point of a fault run, not news for its log. */
export const isInjectedFault = (error: unknown): boolean => error instanceof InjectedFaultError;
