/**
 * Recall-vs-QPS frontiers, as ann-benchmarks plots them: a system's settings
 * are points, its frontier is the points no other point beats on both, and a
 * QPS "at recall r" is read off the frontier by interpolating log-QPS linearly
 * in recall between the two frontier points around r, so two systems are
 * compared at the same recall rather than at whatever their grids gave.
 */

export interface OperatingPoint {
  /** The settings, for the printout (e.g. "M=16 ef=48"). */
  label: string;
  recall: number;
  qps: number;
}

/** The Pareto-optimal points (no other has both recall ≥ and QPS ≥, one of them >), by increasing recall. */
export function paretoFrontier<P extends OperatingPoint>(points: readonly P[]): P[] {
  const byRecall = [...points].sort((a, b) => b.recall - a.recall || b.qps - a.qps);
  const frontier: P[] = [];
  let bestQps = -Infinity;
  for (const point of byRecall) {
    if (point.qps > bestQps) {
      frontier.push(point);
      bestQps = point.qps;
    }
  }
  return frontier.reverse();
}

/**
 * QPS at `recall` on a frontier (increasing recall, decreasing QPS): exact at
 * a point, log-linear between the two around it; a frontier whose best point
 * is below `recall` gives null; below its first point, that point's QPS (it
 * does at least as well there).
 */
export function qpsAtRecall(frontier: readonly OperatingPoint[], recall: number): number | null {
  if (frontier.length === 0 || frontier[frontier.length - 1]!.recall < recall) return null;
  if (recall <= frontier[0]!.recall) return frontier[0]!.qps;
  for (let i = 1; i < frontier.length; i += 1) {
    const high = frontier[i]!;
    if (high.recall < recall) continue;
    const low = frontier[i - 1]!;
    if (high.recall === recall || high.recall === low.recall) return high.qps;
    const t = (recall - low.recall) / (high.recall - low.recall);
    return Math.exp(Math.log(low.qps) + t * (Math.log(high.qps) - Math.log(low.qps)));
  }
  return null;
}

/** The ratio a / b, or null when either is missing. */
export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** Median, minimum and maximum of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spreadOf: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
