import type { LadderSettings } from './types.js';

export interface PpdLadder {
  /** The whole-surface layer. */
  readonly basePpd: number;
  /** Intermediate levels, coarse to fine: each is a ring around the next. */
  readonly ringPpds: readonly number[];
  /** The full-PPD tiles; equal to basePpd when the base alone is as fine as anything can be. */
  readonly topPpd: number;
}

export interface LadderBounds {
  /** The display's PPD at the view centre. */
  readonly displayPpd: number;
  /** The source's PPD at the view axis: nothing is planned denser (never upsample). */
  readonly sourcePpd: number;
  /** What the eye resolves at the farthest point of the surface. */
  readonly farthestUsefulPpd: number;
  /** The densest base that fits its byte budget and the texture limit. */
  readonly baseBudgetPpd: number;
}

// Levels computed as base·ratio^k pick up rounding noise; compare with slack.
const slack = 1e-9;

/**
 * The PPD levels of one profile. Intermediate levels come from one global
 * ladder (ladderBasePpd·ladderRatio^k), so profiles share their rings; the top
 * is the display's own PPD, or the source's if that is lower.
 */
export function ppdLadder(bounds: LadderBounds, ladder: LadderSettings): PpdLadder {
  const topPpd = Math.min(bounds.displayPpd, bounds.sourcePpd);
  const acuityBase = ladderLevelAtOrAbove(Math.max(bounds.farthestUsefulPpd, ladder.baseMinPpd), ladder);
  const basePpd = Math.min(acuityBase, bounds.baseBudgetPpd, topPpd);
  if (basePpd >= topPpd * (1 - slack)) return { basePpd: topPpd, ringPpds: [], topPpd };
  const ringPpds: number[] = [];
  for (
    let level = ladderLevelAtOrAbove(basePpd * (1 + 1e-6), ladder);
    level * ladder.minTopStepRatio <= topPpd * (1 + slack);
    level *= ladder.ladderRatio
  ) {
    if (level > basePpd * (1 + 1e-6)) ringPpds.push(level);
  }
  return { basePpd, ringPpds, topPpd };
}

/** The smallest ladder level not below `ppd`. */
export function ladderLevelAtOrAbove(ppd: number, ladder: LadderSettings): number {
  const steps = Math.ceil(Math.log(ppd / ladder.ladderBasePpd) / Math.log(ladder.ladderRatio) - slack);
  return ladder.ladderBasePpd * ladder.ladderRatio ** steps;
}
