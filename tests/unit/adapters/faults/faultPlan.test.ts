import { describe, expect, it } from 'vitest';
import { lambdaEnvNames } from '../../../../functions/config/index.js';
import { faultPlanFromEnv, InvalidFaultPlanError, noFaults, parseFaultPlan } from '../../../../functions/adapters/faults/index.js';

describe('fault plans', () => {
  it('are off unless the environment names one', () => {
    expect(faultPlanFromEnv({}, lambdaEnvNames.faultPlan)).toBeUndefined();
    expect(faultPlanFromEnv({ [lambdaEnvNames.faultPlan]: '' }, lambdaEnvNames.faultPlan)).toBeUndefined();
  });

  it('fill what a partial plan leaves out with "no fault"', () => {
    const plan = faultPlanFromEnv({ [lambdaEnvNames.faultPlan]: '{"crashRate":0.25,"seed":7}' }, lambdaEnvNames.faultPlan);
    expect(plan).toEqual({ ...noFaults, crashRate: 0.25, seed: 7 });
  });

  it.each([
    ['a rate above 1', { crashRate: 1.5 }, /crashRate must be a number from 0 to 1/],
    ['a negative rate', { stallRate: -0.1 }, /stallRate/],
    ['a rate that is not a number', { unknownMessageRate: 'often' }, /unknownMessageRate/],
    ['no crash modes', { crashModes: [] }, /crashModes/],
    ['an unknown crash mode', { crashModes: ['explode'] }, /crashModes/],
    ['fewer deliveries than one', { deliveries: { min: 0, max: 2 } }, /deliveries/],
    ['max deliveries below min', { deliveries: { min: 3, max: 2 } }, /deliveries/],
    ['a crash step of zero', { crashAfterWrite: 0 }, /crashAfterWrite/],
    ['a crash window of zero', { crashWithinWrites: 0 }, /crashWithinWrites/],
    ['a fractional stall', { stallMs: 1.5 }, /stallMs/],
  ])('refuse %s', (_name, settings, message) => {
    expect(() => parseFaultPlan(settings)).toThrow(InvalidFaultPlanError);
    expect(() => parseFaultPlan(settings)).toThrow(message);
  });

  it('refuse what is not a JSON object', () => {
    expect(() => parseFaultPlan([])).toThrow(/JSON object/);
    expect(() => faultPlanFromEnv({ [lambdaEnvNames.faultPlan]: 'crash please' }, lambdaEnvNames.faultPlan)).toThrow(/not JSON/);
  });
});
