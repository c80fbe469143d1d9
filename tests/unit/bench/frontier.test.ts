import { describe, expect, it } from 'vitest';
import { paretoFrontier, qpsAtRecall, ratio, spreadOf } from '../../../bench/vq/frontier.js';
import { envelope } from '../../../bench/vq/frontierSweep.js';

const point = (label: string, recall: number, qps: number) => ({ label, recall, qps });

describe('recall-vs-QPS frontiers', () => {
  it('keep only the points nothing else beats on both, by increasing recall', () => {
    const frontier = paretoFrontier([
      point('a', 0.9, 1000),
      point('b', 0.95, 800),
      point('dominated', 0.92, 700),
      point('c', 0.99, 200),
      point('tie-worse', 0.95, 500),
    ]);
    expect(frontier.map((p) => p.label)).toEqual(['a', 'b', 'c']);
  });

  it('interpolate log-QPS linearly in recall between the two points around the target', () => {
    const frontier = [point('a', 0.9, 1000), point('b', 0.96, 100)];
    expect(qpsAtRecall(frontier, 0.9)).toBe(1000);
    expect(qpsAtRecall(frontier, 0.96)).toBe(100);
    // Half way in recall is the geometric mean in QPS.
    expect(qpsAtRecall(frontier, 0.93)).toBeCloseTo(Math.sqrt(1000 * 100), 6);
  });

  it('report null where a frontier never reaches the recall, and its first point below its range', () => {
    const frontier = [point('a', 0.9, 1000), point('b', 0.95, 400)];
    expect(qpsAtRecall(frontier, 0.99)).toBeNull();
    expect(qpsAtRecall(frontier, 0.5)).toBe(1000);
    expect(qpsAtRecall([], 0.9)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(6, 3)).toBe(2);
  });

  it('take the upper envelope of several systems', () => {
    const spread = spreadOf([1]);
    const system = (name: string, points: [number, number][]) => ({
      name,
      frontier: points.map(([recall, qps]) => ({ label: `${recall}`, recall, qps, qpsSpread: spread })),
      qpsAt: { '0.9': null, '0.95': null, '0.99': null },
    });
    const best = envelope('best', [
      system('M=8', [
        [0.9, 1000],
        [0.95, 300],
      ]),
      system('M=16', [
        [0.9, 800],
        [0.95, 500],
        [0.99, 100],
      ]),
    ]);
    expect(best.frontier.map((p) => p.label)).toEqual(['M=8 0.9', 'M=16 0.95', 'M=16 0.99']);
    expect(best.qpsAt['0.95']).toBe(500);
    expect(best.qpsAt['0.99']).toBe(100);
  });

  it('summarise repetitions by median and range', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spreadOf([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(() => spreadOf([])).toThrow();
  });
});
