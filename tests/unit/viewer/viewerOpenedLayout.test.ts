import { describe, expect, it } from 'vitest';
import { desktopLayoutRules, layOutOpened, type OpenedContent } from '../../../viewer/src/openedLayout.js';

const tan45 = 1;
/** A 3:2 photo planned on a 90°-wide panel: half-width tan 45° = 1, half-height 2/3. */
const landscape: OpenedContent = { halfWidthTan: tan45, halfHeightTan: 2 / 3, belowTan: 0, sourceWidthPx: 6000, neighbourCount: 8 };
/** 2:3, limited by the panel's 90° height: half-height 1, half-width 2/3. */
const portrait: OpenedContent = { halfWidthTan: 2 / 3, halfHeightTan: 1, belowTan: 0, sourceWidthPx: 4000, neighbourCount: 8 };
const wide = { verticalFovDeg: 60, aspect: 1280 / 800, deviceWidthPx: 1280 };
const tall = { verticalFovDeg: 60, aspect: 800 / 1280, deviceWidthPx: 800 };

/** Where a point of the plane one unit ahead (as tangents) lands for a camera looking straight ahead. */
function ndc(view: typeof wide, x: number, y: number): [number, number] {
  const tanHalfV = Math.tan((view.verticalFovDeg / 2) * (Math.PI / 180));
  return [x / (tanHalfV * view.aspect), y / tanHalfV];
}

describe('layOutOpened', () => {
  for (const [name, view] of Object.entries({ wide, tall })) {
    for (const [photo, content] of Object.entries({ landscape, portrait })) {
      it(`fits a ${photo} photo and its neighbours' row inside a ${name} window, filling the limiting side`, () => {
        const layout = layOutOpened(view, content);
        const x = layout.scale * content.halfWidthTan;
        const y = layout.scale * content.halfHeightTan;
        const corners = [ndc(view, -x, layout.liftTan + y), ndc(view, x, layout.liftTan - y)];
        const limit = 1 - desktopLayoutRules.margin;
        for (const [cx, cy] of corners) {
          expect(Math.abs(cx)).toBeLessThanOrEqual(limit + 1e-6);
          expect(Math.abs(cy)).toBeLessThanOrEqual(limit + 1e-6);
        }
        // The row lies under the panel, and within the view.
        expect(layout.row.pitchDeg + layout.row.cellHeightDeg / 2).toBeLessThan(Math.atan(layout.liftTan - y) * (180 / Math.PI));
        const rowBottom = ndc(view, 0, Math.tan(layout.contentPitchDeg[0] * (Math.PI / 180)))[1];
        expect(rowBottom).toBeGreaterThanOrEqual(-limit - 1e-6);
        // Centred: as much room above the panel as under the row.
        expect(corners[0]![1] + rowBottom).toBeCloseTo(0, 1);
        // As large as the window allows: one side of the panel reaches (nearly) the margin.
        const widthNdc = Math.max(...corners.map(([cx]) => Math.abs(cx)));
        const topNdc = Math.abs(corners[0]![1] - rowBottom) / 2;
        expect(Math.max(widthNdc, topNdc)).toBeGreaterThan(0.6);
      });
    }
  }

  // At devicePixelRatio 2 the window is 2560 device pixels across.
  const retina = { ...wide, deviceWidthPx: 2 * wide.deviceWidthPx };

  it('never draws a small photo at more than two device pixels per source pixel', () => {
    const small = { ...landscape, sourceWidthPx: 451 };
    const layout = layOutOpened(retina, small);
    const x = layout.scale * small.halfWidthTan;
    const widest = ndc(retina, x, 0)[0];
    expect(widest * retina.deviceWidthPx).toBeLessThanOrEqual(2 * 451 + 1e-6);
    expect(widest * retina.deviceWidthPx).toBeGreaterThan(2 * 451 * 0.99);
    // …and would fill more of the view if it had the pixels.
    expect(layOutOpened(retina, landscape).scale).toBeGreaterThan(layout.scale * 1.2);
  });

  it('counts the devicePixelRatio: at 3× the same window shows a small photo at 2/3 of its size at 2×', () => {
    const small = { ...landscape, sourceWidthPx: 451 };
    const at2 = layOutOpened(retina, small);
    const at3 = layOutOpened({ ...wide, deviceWidthPx: 3 * wide.deviceWidthPx }, small);
    expect(at3.scale / at2.scale).toBeCloseTo(2 / 3, 1);
  });

  it('leaves room for what hangs under a panel (a seek bar), and makes no row without neighbours', () => {
    const withBar = layOutOpened(wide, { ...landscape, belowTan: 0.1 });
    expect(withBar.scale).toBeLessThan(layOutOpened(wide, landscape).scale);
    const alone = layOutOpened(wide, { ...landscape, neighbourCount: 0 });
    expect(alone.scale).toBeGreaterThan(layOutOpened(wide, landscape).scale);
    expect(alone.row.stepDeg).toBe(0);
  });

  it('never shows a panel larger than planned', () => {
    const tiny = { halfWidthTan: 0.05, halfHeightTan: 0.04, belowTan: 0, sourceWidthPx: 8000, neighbourCount: 0 };
    expect(layOutOpened(wide, tiny).scale).toBe(1);
  });
});
