import { describe, expect, it } from 'vitest';
import { galleryLayout } from '../../../viewer/src/galleryLayout.js';
import { neighbourPanel } from '../../../viewer/src/neighbourPanel.js';

const layoutOf = (count: number) => galleryLayout(Array.from({ length: count }, () => ({ widthPx: 4, heightPx: 3 })));

describe('neighbourPanel', () => {
  it('steps left and right through reading order and stops at the ends', () => {
    const layout = layoutOf(10);
    expect(neighbourPanel(layout, 0, 'left')).toBe(0);
    expect(neighbourPanel(layout, 0, 'right')).toBe(1);
    expect(neighbourPanel(layout, 9, 'right')).toBe(9);
    // Across a row end, too: every item is reachable with two keys.
    const lastOfFirstRow = layout.columns - 1;
    expect(neighbourPanel(layout, lastOfFirstRow, 'right')).toBe(layout.columns);
  });

  it('moves up and down to the nearest panel by angle, staying put at the top and bottom rows', () => {
    const layout = layoutOf(12);
    expect(layout.rows).toBeGreaterThan(1);
    const first = layout.placements[0]!;
    expect(neighbourPanel(layout, 0, 'up')).toBe(0);
    const below = layout.placements[neighbourPanel(layout, 0, 'down')]!;
    expect(below.row).toBe(1);
    expect(below.column).toBe(first.column);
    const lastRow = layout.rows - 1;
    const bottom = layout.placements.find((p) => p.row === lastRow)!;
    expect(neighbourPanel(layout, bottom.index, 'down')).toBe(bottom.index);
    expect(layout.placements[neighbourPanel(layout, bottom.index, 'up')]!.row).toBe(lastRow - 1);
  });

  it('handles a short last row, which is centred, by angle rather than column number', () => {
    const layout = layoutOf(7);
    const lastRow = layout.placements.filter((p) => p.row === layout.rows - 1);
    expect(lastRow.length).toBeLessThan(layout.columns);
    const upFromLast = layout.placements[neighbourPanel(layout, lastRow[0]!.index, 'up')]!;
    const nearest = Math.min(
      ...layout.placements.filter((p) => p.row === upFromLast.row).map((p) => Math.abs(p.azimuthRadians - lastRow[0]!.azimuthRadians)),
    );
    expect(Math.abs(upFromLast.azimuthRadians - lastRow[0]!.azimuthRadians)).toBeCloseTo(nearest);
  });

  it('returns -1 for an empty gallery', () => {
    expect(neighbourPanel(layoutOf(0), 0, 'right')).toBe(-1);
  });
});
