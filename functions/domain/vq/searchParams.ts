import { pipelineConfig } from '../../config/index.js';
import { InvalidVqParameterError } from './errors.js';

/** Per-call search knobs (after faiss SearchParametersIVF). The index is never changed by a search. */
export interface SearchParams {
  /** How many results. */
  k: number;
  /** How many centroids' lists are scanned. */
  nprobe: number;
  /** Stop after scoring this many vectors (0: no limit), as faiss max_codes. */
  maxCodes: number;
  /**
   * Candidates taken from the scan of compact codes and re-scored exactly on
   * their float32 vectors (at least k are); 0 scans the float32 vectors
   * themselves (exact within the probed lists, about four times the bytes).
   */
  rerank: number;
}

/** Defaults for every search; a call overrides any of them. */
export const defaultSearchParams: SearchParams = { ...pipelineConfig.vq.search };

/** Fills defaults and checks bounds; throws InvalidVqParameterError on a bad value. */
export function resolveSearchParams(params: Partial<SearchParams> = {}): SearchParams {
  const resolved = { ...defaultSearchParams, ...stripUndefined(params) };
  if (!Number.isInteger(resolved.k) || resolved.k < 1) throw new InvalidVqParameterError('k', 'a positive integer', resolved.k);
  if (!Number.isInteger(resolved.nprobe) || resolved.nprobe < 1) {
    throw new InvalidVqParameterError('nprobe', 'a positive integer', resolved.nprobe);
  }
  if (!Number.isInteger(resolved.maxCodes) || resolved.maxCodes < 0) {
    throw new InvalidVqParameterError('maxCodes', 'a non-negative integer', resolved.maxCodes);
  }
  if (!Number.isInteger(resolved.rerank) || resolved.rerank < 0) {
    throw new InvalidVqParameterError('rerank', 'a non-negative integer', resolved.rerank);
  }
  return resolved;
}

function stripUndefined(params: Partial<SearchParams>): Partial<SearchParams> {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
}
