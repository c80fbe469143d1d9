import { describe, expect, it } from 'vitest';
import { fitPanelMeters } from '../../../viewer/src/fitPanelMeters.js';

describe('fitPanelMeters', () => {
  it('fills the height for tall pictures and the width for wide ones, keeping the aspect', () => {
    expect(fitPanelMeters(300, 600, 1, 1)).toEqual({ widthMeters: 0.5, heightMeters: 1 });
    expect(fitPanelMeters(2000, 1000, 1, 1)).toEqual({ widthMeters: 1, heightMeters: 0.5 });
    const { widthMeters, heightMeters } = fitPanelMeters(4032, 3024, 0.8, 0.6);
    expect(widthMeters).toBeCloseTo(0.8);
    expect(heightMeters).toBeCloseTo(0.6);
  });

  it('draws a square for a size without pixels', () => {
    expect(fitPanelMeters(0, 0, 2, 1)).toEqual({ widthMeters: 1, heightMeters: 1 });
    expect(fitPanelMeters(Number.NaN, 10, 2, 1)).toEqual({ widthMeters: 1, heightMeters: 1 });
  });
});
