import { describe, expect, it } from 'vitest';
import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';
import { ChangeLog } from '../../../viewer/src/foveated/ChangeLog.js';
import { textureSpaceGeometry } from '../../../viewer/src/foveated/textureSpaceGeometry.js';
import { compositeScissor } from '../../../viewer/src/xr/compositeScissor.js';

const whole: NormalizedRect = [0, 0, 1, 1];
const tileA: NormalizedRect = [0, 0, 0.25, 0.25];
const tileB: NormalizedRect = [0.25, 0, 0.5, 0.25];

describe('ChangeLog', () => {
  it('asks a copy never painted for the whole image, and a current copy for nothing', () => {
    const log = new ChangeLog();
    log.record([tileA]);
    expect(log.regionsSince(undefined)).toEqual([whole]);
    expect(log.regionsSince(log.version)).toEqual([]);
  });

  it('gives each copy the rects changed since its own version (two swapchain textures)', () => {
    const log = new ChangeLog();
    log.record([tileA]);
    const first = log.version; // texture 1 painted here
    log.record([tileB, tileA]);
    const second = log.version; // texture 2 painted here
    log.record([[0.5, 0.5, 0.75, 0.75]]);
    expect(log.regionsSince(second)).toEqual([[0.5, 0.5, 0.75, 0.75]]);
    // Texture 1 missed two changes: both, each rect once.
    expect(log.regionsSince(first)).toEqual([tileB, tileA, [0.5, 0.5, 0.75, 0.75]]);
  });

  it('repaints the bounding box of many rects, and everything once the log no longer reaches back', () => {
    const log = new ChangeLog();
    const start = log.version;
    for (let column = 0; column < 8; column += 1) log.record([[column / 8, 0.5, (column + 1) / 8, 0.625]]);
    expect(log.regionsSince(start)).toEqual([[0, 0.5, 1, 0.625]]);
    for (let index = 0; index < 100; index += 1) log.record([tileA]);
    expect(log.regionsSince(start)).toEqual([whole]);
    expect(log.regionsSince(log.version - 1)).toEqual([tileA]);
  });
});

describe('compositeScissor', () => {
  it('covers the rect in target pixels counted from the bottom, one pixel wider each side, within the target', () => {
    // The image's top-left quarter in a 2000×1000 target: columns 0–1000, rows 500–1000 counted from the bottom.
    expect(compositeScissor([0, 0, 0.5, 0.5], 2000, 1000).toArray()).toEqual([0, 499, 1001, 501]);
    expect(compositeScissor([0.5, 0.5, 1, 1], 2000, 1000).toArray()).toEqual([999, 0, 1001, 501]);
    expect(compositeScissor(whole, 2000, 1000).toArray()).toEqual([0, 0, 2000, 1000]);
  });

  it('covers every pixel the composite draws for that rect (the composite camera sees x = u, y = 1 − v over the unit square)', () => {
    const [widthPx, heightPx] = [2700, 1800];
    for (const rect of [tileA, tileB, [0.3, 0.55, 0.62, 0.9] as NormalizedRect]) {
      const positions = textureSpaceGeometry(rect).getAttribute('position');
      const [x, y, width, height] = compositeScissor(rect, widthPx, heightPx).toArray();
      for (let index = 0; index < positions.count; index += 1) {
        expect(positions.getX(index) * widthPx).toBeGreaterThanOrEqual(x);
        expect(positions.getX(index) * widthPx).toBeLessThanOrEqual(x + width);
        expect(positions.getY(index) * heightPx).toBeGreaterThanOrEqual(y);
        expect(positions.getY(index) * heightPx).toBeLessThanOrEqual(y + height);
      }
    }
  });
});
