import { describe, expect, it } from 'vitest';
import { galleryLayout } from '../../../viewer/src/galleryLayout.js';

const square = { widthPx: 100, heightPx: 100 };
const many = (count: number) => Array.from({ length: count }, () => square);
const distanceFromEyeAxis = (p: { xMeters: number; zMeters: number }) => Math.hypot(p.xMeters, p.zMeters);

describe('galleryLayout', () => {
  it('is empty for no items', () => {
    expect(galleryLayout([])).toEqual({ rows: 0, columns: 0, scale: 1, placements: [] });
  });

  it('puts a few items in one row centred straight ahead, all at the same distance and facing the eye', () => {
    const layout = galleryLayout(many(3), { radiusMeters: 2 });
    expect(layout.rows).toBe(1);
    expect(layout.placements.map((p) => p.column)).toEqual([0, 1, 2]);
    const [left, middle, right] = layout.placements;
    expect(middle!.azimuthRadians).toBeCloseTo(0);
    expect(middle!.zMeters).toBeCloseTo(-2);
    expect(left!.azimuthRadians).toBeCloseTo(-right!.azimuthRadians);
    expect(left!.xMeters).toBeLessThan(0);
    for (const p of layout.placements) {
      expect(distanceFromEyeAxis(p)).toBeCloseTo(2);
      // Facing the eye axis: rotating +Z by the yaw points back at the axis.
      expect(Math.sin(p.yawRadians)).toBeCloseTo(-p.xMeters / 2);
      expect(Math.cos(p.yawRadians)).toBeCloseTo(-p.zMeters / 2);
    }
  });

  it('keeps each picture aspect inside the cell, in meters', () => {
    const layout = galleryLayout(
      [
        { widthPx: 800, heightPx: 400 },
        { widthPx: 480, heightPx: 640 },
      ],
      { cellWidthMeters: 0.8, cellHeightMeters: 0.6 },
    );
    const [wide, tall] = layout.placements;
    expect(wide).toMatchObject({ widthMeters: 0.8, heightMeters: 0.4 });
    expect(tall!.heightMeters).toBeCloseTo(0.6);
    expect(tall!.widthMeters).toBeCloseTo(0.45);
  });

  it('adds rows before widening the arc, centred on the band height, tilted toward the eye', () => {
    const layout = galleryLayout(many(12), { centerHeightMeters: 1.5, eyeHeightMeters: 1.6 });
    expect(layout.rows).toBeGreaterThan(1);
    expect(layout.rows * layout.columns).toBeGreaterThanOrEqual(12);
    const heights = [...new Set(layout.placements.map((p) => p.yMeters))];
    expect(heights).toHaveLength(layout.rows);
    expect((Math.max(...heights) + Math.min(...heights)) / 2).toBeCloseTo(1.5);
    const top = layout.placements[0]!;
    expect(top.yMeters).toBeGreaterThan(1.6);
    expect(top.pitchRadians).toBeGreaterThan(0);
    expect(layout.placements.at(-1)!.pitchRadians).toBeLessThan(0);
  });

  it('never overlaps panels around the circle, shrinking them when even the full circle is too short', () => {
    for (const count of [1, 5, 18, 40, 200, 1000]) {
      const layout = galleryLayout(many(count), { radiusMeters: 2.6, cellWidthMeters: 0.8, gapMeters: 0.12 });
      expect(layout.placements).toHaveLength(count);
      expect(layout.scale).toBeLessThanOrEqual(1);
      const stepRadians = ((0.8 + 0.12) / 2.6) * layout.scale;
      expect(layout.columns * stepRadians).toBeLessThanOrEqual(2 * Math.PI + 1e-9);
      for (const p of layout.placements) expect(p.widthMeters).toBeLessThanOrEqual(0.8 * layout.scale + 1e-9);
      // Row-major reading order.
      for (const p of layout.placements) expect(p.index).toBe(p.row * layout.columns + p.column);
    }
    expect(galleryLayout(many(1000)).scale).toBeLessThan(1);
    expect(galleryLayout(many(20)).scale).toBe(1);
  });
});
