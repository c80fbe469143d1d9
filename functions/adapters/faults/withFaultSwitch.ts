import { lambdaEnvNames } from '../../config/index.js';
import type { ObjectStore } from '../../domain/items/index.js';
import { createFaultInjection, type SqsHandler } from './faultInjection.js';
import { faultPlanFromEnv } from './faultPlan.js';

/**
 * A Lambda handler with the fault switch of its environment: `build` gets the
 * store wrapper to apply (the identity when the switch is off, as the stack
 * deploys it) and the handler it returns is wrapped the same way.
 */
export function withFaultSwitch(env: NodeJS.ProcessEnv, build: (wrapStore: (store: ObjectStore) => ObjectStore) => SqsHandler): SqsHandler {
  const plan = faultPlanFromEnv(env, lambdaEnvNames.faultPlan);
  if (!plan) return build((store) => store);
  const faults = createFaultInjection(plan);
  return faults.wrapHandler(build((store) => faults.wrapStore(store)));
}
