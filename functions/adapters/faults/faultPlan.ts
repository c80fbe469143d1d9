import { InvalidFaultPlanError } from './errors.js';

/** How an injected crash ends a handler invocation (see errors.ts). */
export type CrashMode = 'throw' | 'kill';

/**
 * What the fault-injection switch does. Off unless a plan is given: the local
 * runner takes one as an option, a handler reads one from the environment
 * (lambdaEnvNames.faultPlan), which the stack never sets.
 */
export interface FaultPlan {
  /** Seed of the fault dice, so a run can be replayed. */
  seed: number;
  /** Fraction of handler invocations that crash (0–1). */
  crashRate: number;
  /** Each crash picks one of these at random. */
  crashModes: readonly CrashMode[];
  /**
   * A crash hits after write step 1..crashWithinWrites (uniform). An invocation
   * that writes less crashes after its batch, before the queue hears of it.
   */
  crashWithinWrites: number;
  /** Tests: every invocation crashes right after exactly this write step (overrides crashRate). */
  crashAfterWrite?: number;
  /**
   * Fraction of invocations that stall for stallMs before a random write step:
   * longer than the queue's visibility timeout, the batch is handed to another
   * worker while this one still works on it.
   */
  stallRate: number;
  stallMs: number;
  /** Every S3 event is delivered min..max times (local runner; on AWS, S3 and SQS decide). */
  deliveries: { min: number; max: number };
  /** Fraction of invocations whose batch gets an extra s3:TestEvent record, and an unrecognisable message. */
  testEventRate: number;
  unknownMessageRate: number;
}

export const noFaults: FaultPlan = {
  seed: 1,
  crashRate: 0,
  crashModes: ['throw', 'kill'],
  crashWithinWrites: 40,
  stallRate: 0,
  stallMs: 0,
  deliveries: { min: 1, max: 1 },
  testEventRate: 0,
  unknownMessageRate: 0,
};

/** A plan from partial settings (JSON from the environment, or a caller's object), checked; unset fields fault nothing. */
export function parseFaultPlan(settings: unknown): FaultPlan {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw new InvalidFaultPlanError('expected a JSON object');
  const plan: FaultPlan = { ...noFaults, ...(settings as Partial<FaultPlan>) };
  for (const rate of ['crashRate', 'stallRate', 'testEventRate', 'unknownMessageRate'] as const) {
    if (!(plan[rate] >= 0 && plan[rate] <= 1))
      throw new InvalidFaultPlanError(`${rate} must be a number from 0 to 1, not ${JSON.stringify(plan[rate])}`);
  }
  for (const count of ['seed', 'stallMs'] as const) {
    if (!Number.isInteger(plan[count]) || plan[count] < 0) throw new InvalidFaultPlanError(`${count} must be a whole number ≥ 0`);
  }
  if (!Number.isInteger(plan.crashWithinWrites) || plan.crashWithinWrites < 1)
    throw new InvalidFaultPlanError('crashWithinWrites must be a whole number ≥ 1');
  if (plan.crashAfterWrite !== undefined && !(Number.isInteger(plan.crashAfterWrite) && plan.crashAfterWrite >= 1)) {
    throw new InvalidFaultPlanError('crashAfterWrite must be a whole number ≥ 1');
  }
  if (
    !Array.isArray(plan.crashModes) ||
    plan.crashModes.length === 0 ||
    plan.crashModes.some((mode) => mode !== 'throw' && mode !== 'kill')
  ) {
    throw new InvalidFaultPlanError('crashModes must list "throw" and/or "kill"');
  }
  const { min, max } = plan.deliveries ?? {};
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min)) {
    throw new InvalidFaultPlanError('deliveries must be { min, max } with 1 ≤ min ≤ max');
  }
  return plan;
}

/** The plan a handler runs with: undefined (no faults) unless the variable holds one. */
export function faultPlanFromEnv(env: NodeJS.ProcessEnv, variable: string): FaultPlan | undefined {
  const json = env[variable];
  if (!json) return undefined;
  let settings: unknown;
  try {
    settings = JSON.parse(json);
  } catch {
    throw new InvalidFaultPlanError(`${variable} is not JSON`);
  }
  return parseFaultPlan(settings);
}
