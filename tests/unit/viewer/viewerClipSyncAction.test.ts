import { describe, expect, it } from 'vitest';
import { clipSyncAction } from '../../../viewer/src/video/clipSyncAction.js';

const settings = { seekBeyondSeconds: 0.5, catchUpSeconds: 0.15, maxRateCorrection: 0.5 };
const frame = 1 / 30;

describe('clipSyncAction', () => {
  it('leaves streams within a quarter frame alone', () => {
    expect(clipSyncAction(10, 10 + 0.2 * frame, 30, settings)).toEqual({ playbackRate: 1 });
    expect(clipSyncAction(10, 10, 30, settings)).toEqual({ playbackRate: 1 });
    // The frame rate sets the scale: 5 ms is within a quarter frame at 30 fps, beyond it at 60.
    expect(clipSyncAction(1, 1.005, 30, settings).playbackRate).toBe(1);
    expect(clipSyncAction(1, 1.005, 60, settings).playbackRate).toBeLessThan(1);
  });

  it('plays the centre faster when behind and slower when ahead, in proportion to the drift', () => {
    const behind = clipSyncAction(10, 10 - 0.03, 30, settings);
    const ahead = clipSyncAction(10, 10 + 0.03, 30, settings);
    expect(behind.seekToSeconds).toBeUndefined();
    expect(behind.playbackRate).toBeCloseTo(1.2, 9);
    expect(ahead.playbackRate).toBeCloseTo(0.8, 9);
    // Twice the drift, twice the correction: the drift shrinks by the same factor per unit time.
    expect(clipSyncAction(10, 10 - 0.06, 30, settings).playbackRate).toBeCloseTo(1.4, 9);
  });

  it('caps the correction', () => {
    expect(clipSyncAction(10, 10 - 0.4, 30, settings)).toEqual({ playbackRate: 1.5 });
    expect(clipSyncAction(10, 10 + 0.4, 30, settings)).toEqual({ playbackRate: 0.5 });
  });

  it('closes a few frames of drift within a fraction of a second when followed frame by frame', () => {
    let base = 0;
    let centre = 0.1; // three frames ahead, as after a start where the base's audio clock began late
    let elapsed = 0;
    while (Math.abs(centre - base) > frame && elapsed < 2) {
      const { playbackRate, seekToSeconds } = clipSyncAction(base, centre, 30, settings);
      expect(seekToSeconds).toBeUndefined();
      base += frame;
      centre += frame * playbackRate;
      elapsed += frame;
    }
    expect(elapsed).toBeLessThan(0.35);
  });

  it('seeks the centre stream to the base stream beyond seekBeyondSeconds, either way', () => {
    expect(clipSyncAction(10, 10.6, 30, settings)).toEqual({ seekToSeconds: 10, playbackRate: 1 });
    expect(clipSyncAction(4.2, 3, 30, settings)).toEqual({ seekToSeconds: 4.2, playbackRate: 1 });
    expect(clipSyncAction(4.2, 3.8, 30, settings).seekToSeconds).toBeUndefined();
  });
});
