import { describe, expect, it } from 'vitest';
import { edgeLodBias, type DrawnTile } from '../../../viewer/src/foveated/edgeLodBias.js';

describe('edgeLodBias', () => {
  it('blurs a finer tile towards exactly the coarser PPD beyond each edge, and not at all against the same or finer', () => {
    const tiles: DrawnTile[] = [
      { key: 'base', rect: [0, 0, 1, 1], ppd: 2 },
      // A ring at 8 PPD around a hole that the 16-PPD ring fills.
      { key: 'ring8-left', rect: [0.2, 0.2, 0.4, 0.8], ppd: 8 },
      { key: 'ring16', rect: [0.4, 0.2, 0.6, 0.8], ppd: 16 },
      { key: 'ring8-right', rect: [0.6, 0.2, 0.8, 0.8], ppd: 8 },
    ];
    const bias = edgeLodBias(tiles, false);
    // [left, top, right, bottom]
    expect(bias.get('base')).toEqual([0, 0, 0, 0]);
    expect(bias.get('ring8-left')![0]).toBeCloseTo(2, 9); // 8 PPD next to the 2-PPD base: two mip levels
    expect(bias.get('ring8-left')![2]).toBe(0); // next to the finer 16-PPD ring
    expect(bias.get('ring16')![0]).toBeCloseTo(1, 9); // next to 8 PPD
    expect(bias.get('ring16')![1]).toBeCloseTo(3, 9); // above it only the base
  });

  it('treats a missing neighbour as whatever is drawn there instead, and a loaded one as seamless', () => {
    const base = { key: 'base', rect: [0, 0, 1, 1], ppd: 1 } as DrawnTile;
    const a = { key: 'a', rect: [0.25, 0.25, 0.5, 0.75], ppd: 16 } as DrawnTile;
    const b = { key: 'b', rect: [0.5, 0.25, 0.75, 0.75], ppd: 16 } as DrawnTile;
    expect(edgeLodBias([base, a], false).get('a')![2]).toBeCloseTo(4, 9);
    expect(edgeLodBias([base, a, b], false).get('a')![2]).toBe(0);
  });

  it('sees across the seam of a 360° panorama, and nothing beyond the image border', () => {
    const left = { key: 'left', rect: [0, 0.4, 0.1, 0.6], ppd: 10 } as DrawnTile;
    const right = { key: 'right', rect: [0.9, 0.4, 1, 0.6], ppd: 5 } as DrawnTile;
    expect(edgeLodBias([left, right], true).get('left')![0]).toBeCloseTo(1, 9);
    expect(edgeLodBias([left, right], false).get('left')![0]).toBe(0);
  });
});
