import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { colourHistogram, detectShots, histogramDistance, selectKeyframes, type Shot } from '../../../../functions/domain/video/index.js';

const flat = (r: number, g: number, b: number, pixels = 64) =>
  colourHistogram(Uint8Array.from({ length: pixels * 3 }, (_, i) => [r, g, b][i % 3]!));

describe('detectShots', () => {
  it('cuts where the colours change, not where they stay', () => {
    const red = flat(220, 20, 20);
    const blue = flat(20, 20, 220);
    const shots = detectShots([red, red, red, red, blue, blue, blue], 0.35, 2);
    expect(shots).toEqual([
      { startFrame: 0, endFrame: 4 },
      { startFrame: 4, endFrame: 7 },
    ]);
    expect(histogramDistance(red, blue)).toBe(1);
    expect(histogramDistance(red, red)).toBe(0);
  });

  it('takes a cut right after another as a flash, not a shot', () => {
    const dark = flat(10, 10, 10);
    const white = flat(250, 250, 250);
    expect(detectShots([dark, dark, dark, white, dark, dark], 0.35, 2)).toEqual([
      { startFrame: 0, endFrame: 3 },
      { startFrame: 3, endFrame: 6 },
    ]);
  });
});

describe('selectKeyframes', () => {
  it('gives every shot a keyframe and the rest by length, at the centres of equal parts', () => {
    const shots: Shot[] = [
      { startFrame: 0, endFrame: 10 },
      { startFrame: 10, endFrame: 40 },
    ];
    expect(selectKeyframes(shots, 4)).toEqual([
      { shot: shots[0], frames: [5] },
      { shot: shots[1], frames: [15, 25, 35] },
    ]);
  });

  it('keeps the longest shots when there are more shots than keyframes', () => {
    const shots: Shot[] = [
      { startFrame: 0, endFrame: 2 },
      { startFrame: 2, endFrame: 10 },
      { startFrame: 10, endFrame: 11 },
      { startFrame: 11, endFrame: 20 },
    ];
    expect(selectKeyframes(shots, 2).map(({ shot }) => shot)).toEqual([shots[1], shots[3]]);
  });

  it('never picks more than asked or than there are frames, each inside its shot, in time order', () => {
    const shotsArb = fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }).map((lengths) => {
      let start = 0;
      return lengths.map((length) => {
        const shot = { startFrame: start, endFrame: start + length };
        start += length;
        return shot;
      });
    });
    fc.assert(
      fc.property(shotsArb, fc.integer({ min: 1, max: 32 }), (shots, maxKeyframes) => {
        const selected = selectKeyframes(shots, maxKeyframes);
        const frames = selected.flatMap(({ frames }) => frames);
        const totalFrames = shots[shots.length - 1]!.endFrame;
        expect(frames.length).toBe(Math.min(maxKeyframes, totalFrames));
        expect(new Set(frames).size).toBe(frames.length);
        expect([...frames].sort((a, b) => a - b)).toEqual(frames);
        for (const { shot, frames: inShot } of selected) {
          expect(inShot.length).toBeGreaterThan(0);
          for (const frame of inShot) expect(frame >= shot.startFrame && frame < shot.endFrame).toBe(true);
        }
        if (shots.length <= maxKeyframes) expect(selected).toHaveLength(shots.length);
      }),
    );
  });
});
