import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { ladderLevelAtOrAbove, ppdLadder } from '../../../../functions/domain/foveate/index.js';

const ladder = pipelineConfig.foveation.ladder;
const bounds = { displayPpd: 25, sourcePpd: 52, farthestUsefulPpd: 1.14, baseBudgetPpd: 4.2 };

describe('ppdLadder', () => {
  it('climbs the shared power-of-two ladder from the base to the display PPD', () => {
    expect(ppdLadder(bounds, ladder)).toEqual({ basePpd: 2, ringPpds: [4, 8, 16], topPpd: 25 });
    expect(ppdLadder({ ...bounds, displayPpd: 44 }, ladder)).toEqual({ basePpd: 2, ringPpds: [4, 8, 16, 32], topPpd: 44 });
  });

  it('skips a level too close below the top to be worth a ring', () => {
    // 16 is 1.25× below 20: kept; for a 19-PPD display it is 1.19×: dropped.
    expect(ppdLadder({ ...bounds, displayPpd: 20 }, ladder).ringPpds).toEqual([4, 8, 16]);
    expect(ppdLadder({ ...bounds, displayPpd: 19 }, ladder).ringPpds).toEqual([4, 8]);
  });

  it('never plans above the source, and needs no rings when the base is as fine as the source', () => {
    expect(ppdLadder({ ...bounds, sourcePpd: 7 }, ladder)).toEqual({ basePpd: 2, ringPpds: [4], topPpd: 7 });
    expect(ppdLadder({ ...bounds, sourcePpd: 1.5 }, ladder)).toEqual({ basePpd: 1.5, ringPpds: [], topPpd: 1.5 });
  });

  it('lets the byte budget cap the base below what acuity asks, rings starting above it', () => {
    expect(ppdLadder({ ...bounds, farthestUsefulPpd: 3, baseBudgetPpd: 2.5 }, ladder)).toEqual({
      basePpd: 2.5,
      ringPpds: [4, 8, 16],
      topPpd: 25,
    });
  });

  it('rounds up to a ladder level, exactly at a level', () => {
    expect(ladderLevelAtOrAbove(4, ladder)).toBe(4);
    expect(ladderLevelAtOrAbove(4.01, ladder)).toBe(8);
    expect(ladderLevelAtOrAbove(0.3, ladder)).toBe(0.5);
  });
});
