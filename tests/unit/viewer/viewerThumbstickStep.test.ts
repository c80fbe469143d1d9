import { describe, expect, it } from 'vitest';
import { thumbstickStep } from '../../../viewer/src/xr/thumbstickStep.js';

describe('thumbstickStep', () => {
  it('fires once per push along the dominant axis, and again only after the stick came back', () => {
    const state = { armed: true };
    const step = (x: number, y: number) => thumbstickStep(state, x, y, 0.7, 0.3);
    expect(step(0.5, 0)).toBeUndefined();
    expect(step(0.9, 0.2)).toBe('right');
    expect(step(1, 0)).toBeUndefined(); // still held
    expect(step(0.5, 0)).toBeUndefined(); // between the thresholds: not yet re-armed
    expect(step(0.1, 0)).toBeUndefined(); // back to rest
    expect(step(-0.2, -0.95)).toBe('up'); // xr-standard y is down-positive
    expect(step(0, 0)).toBeUndefined();
    expect(step(-0.8, 0.1)).toBe('left');
    expect(step(0, 0)).toBeUndefined();
    expect(step(0.1, 0.75)).toBe('down');
  });
});
