import { paretoFrontier, qpsAtRecall, type OperatingPoint, type Spread } from './frontier.js';
import { measureSetting } from './searchTiming.js';

/** One setting of a system: how to search with it (a query number in, result row numbers out). */
export interface Setting {
  label: string;
  /** Run before this setting is measured (e.g. hnswlib's setEf). */
  prepare?: () => void;
  search: (query: number) => ArrayLike<number>;
  /** Extra figures for the printout and JSON (e.g. the probed fraction). */
  details?: Record<string, number>;
}

export interface QuerySet {
  queries: number[];
  truth: Int32Array[];
}

interface ScoredPoint extends OperatingPoint {
  qpsSpread: Spread;
  details?: Record<string, number>;
}

export interface SystemResult {
  name: string;
  /** Measured on the scoring queries, for the settings that were on the tuning frontier. */
  frontier: ScoredPoint[];
  qpsAt: Record<'0.9' | '0.95' | '0.99', number | null>;
}

export interface SweepOptions {
  k: number;
  tuningRepetitions: number;
  scoringRepetitions: number;
  log: (line: string) => void;
}

export const targetRecalls = [0.9, 0.95, 0.99] as const;

/**
 * The comparison protocol: every setting is measured on the tuning queries,
 * the settings on that frontier (chosen without seeing a scored query) are
 * measured again on the scoring queries, and the system's QPS at each target
 * recall is read off that scored frontier.
 */
export function sweepSystem(
  name: string,
  settings: readonly Setting[],
  tuning: QuerySet,
  scoring: QuerySet,
  options: SweepOptions,
): SystemResult {
  const { k, log } = options;
  const tuned = settings.map((setting) => {
    setting.prepare?.();
    const measured = measureSetting(tuning.queries, tuning.truth, k, options.tuningRepetitions, setting.search);
    return { label: setting.label, recall: measured.recall, qps: measured.qps.median, setting };
  });
  const chosen = paretoFrontier(tuned);
  log(`  ${name}: ${settings.length} settings tuned, ${chosen.length} on the tuning frontier`);
  const scored: ScoredPoint[] = chosen.map(({ setting }) => {
    setting.prepare?.();
    const measured = measureSetting(scoring.queries, scoring.truth, k, options.scoringRepetitions, setting.search);
    const point = {
      label: setting.label,
      recall: measured.recall,
      qps: measured.qps.median,
      qpsSpread: measured.qps,
      ...(setting.details ? { details: setting.details } : {}),
    };
    log(
      `    ${name} ${point.label}: recall@${k} ${point.recall.toFixed(4)}  QPS ${point.qps.toFixed(0)} (${measured.qps.min.toFixed(0)}–${measured.qps.max.toFixed(0)})`,
    );
    return point;
  });
  const frontier = paretoFrontier(scored);
  const qpsAt = Object.fromEntries(targetRecalls.map((recall) => [String(recall), qpsAtRecall(frontier, recall)])) as SystemResult['qpsAt'];
  return { name, frontier, qpsAt };
}

/** The upper envelope of several systems' scored frontiers (e.g. hnswlib over every M). */
export function envelope(name: string, systems: readonly SystemResult[]): SystemResult {
  const frontier = paretoFrontier(
    systems.flatMap((system) => system.frontier.map((point) => ({ ...point, label: `${system.name} ${point.label}` }))),
  );
  const qpsAt = Object.fromEntries(targetRecalls.map((recall) => [String(recall), qpsAtRecall(frontier, recall)])) as SystemResult['qpsAt'];
  return { name, frontier, qpsAt };
}
