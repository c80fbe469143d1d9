import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { eccentricityWherePpdFallsTo, marArcmin, usefulPpd } from '../../../../functions/domain/foveate/index.js';

const acuity = pipelineConfig.foveation.acuity;

describe('acuity model', () => {
  it('is 1 arcmin (60 PPD) inside the eye-movement margin and grows linearly beyond it (Guenter et al. 2012)', () => {
    expect(marArcmin(0, acuity)).toBe(1);
    expect(marArcmin(15, acuity)).toBe(1);
    expect(marArcmin(25, acuity)).toBeCloseTo(1 + 1.32 * 10, 12);
    expect(usefulPpd(0, 60, acuity)).toBe(60);
    expect(usefulPpd(25, 60, acuity)).toBeCloseTo(60 / 14.2, 12);
  });

  it('never exceeds the display PPD', () => {
    expect(usefulPpd(0, 25, acuity)).toBe(25);
    expect(usefulPpd(16, 25, acuity)).toBe(25);
    expect(usefulPpd(17, 25, acuity)).toBeLessThan(25);
  });

  it('inverts: beyond eccentricityWherePpdFallsTo(p), the eye uses at most p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 59, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (ppd, eyeMarginDeg, marSlopeArcminPerDeg) => {
          const model = { ...acuity, eyeMarginDeg, marSlopeArcminPerDeg };
          const radius = eccentricityWherePpdFallsTo(ppd, model);
          expect(radius).toBeGreaterThanOrEqual(eyeMarginDeg);
          expect(usefulPpd(radius, 60, model)).toBeCloseTo(ppd, 9);
          expect(usefulPpd(radius + 0.01, 60, model)).toBeLessThan(ppd);
        },
      ),
    );
    expect(eccentricityWherePpdFallsTo(60, acuity)).toBe(0);
  });
});
