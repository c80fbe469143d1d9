import type { NearDuplicateFigures } from './nearDuplicateSearch.js';

/** What bench:embeddings measured of one candidate; `full` figures are null for a capped candidate. */
export interface CandidateResult {
  name: string;
  isDefault: boolean;
  capped: boolean;
  nearDuplicates: { full: NearDuplicateFigures | null; capped: NearDuplicateFigures };
  classPrecisionAt10: { full: number | null; capped: number };
  /** Median ms of the descriptor alone, over the photos it embedded (originals and distractors). */
  embedMsP50: number;
}

export interface SubsetSizes {
  originals: number;
  copies: number;
  distractors: number;
  cappedDistractors: number;
  fashionIndexed: number;
  fashionQueries: number;
  cappedFashionIndexed: number;
  cappedFashionQueries: number;
}
