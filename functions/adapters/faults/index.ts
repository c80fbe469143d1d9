export { createFaultInjection, isWriteStep, type FaultInjection, type FaultStats, type SqsHandler } from './faultInjection.js';
export { faultPlanFromEnv, noFaults, parseFaultPlan, type CrashMode, type FaultPlan } from './faultPlan.js';
export { InjectedFaultError, WorkerKilledError, InvalidFaultPlanError } from './errors.js';
export { withFaultSwitch } from './withFaultSwitch.js';
