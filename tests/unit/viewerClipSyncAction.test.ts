import { describe, expect, it } from 'vitest';
import { clipSyncAction } from '../../viewer/src/video/clipSyncAction.js';

const settings = { maxDriftFrames: 1, rateCorrection: 0.05 };
const frame = 1 / 30;

describe('clipSyncAction', () => {
  it('leaves streams within a quarter frame alone', () => {
    expect(clipSyncAction(10, 10 + 0.2 * frame, 30, settings)).toEqual({ playbackRate: 1 });
    expect(clipSyncAction(10, 10, 30, settings)).toEqual({ playbackRate: 1 });
  });

  it('nudges the centre stream faster when behind and slower when ahead, under one frame of drift', () => {
    expect(clipSyncAction(10, 10 - 0.6 * frame, 30, settings)).toEqual({ playbackRate: 1.05 });
    expect(clipSyncAction(10, 10 + 0.6 * frame, 30, settings)).toEqual({ playbackRate: 0.95 });
  });

  it('seeks the centre stream to the base stream beyond one frame of drift, either way', () => {
    expect(clipSyncAction(10, 10 + 1.5 * frame, 30, settings)).toEqual({ seekToSeconds: 10, playbackRate: 1 });
    expect(clipSyncAction(4.2, 3, 30, settings)).toEqual({ seekToSeconds: 4.2, playbackRate: 1 });
    // The frame rate sets the scale: 40 ms is within one frame at 24 fps, beyond it at 60.
    expect(clipSyncAction(1, 1.04, 24, settings).seekToSeconds).toBeUndefined();
    expect(clipSyncAction(1, 1.04, 60, settings).seekToSeconds).toBe(1);
  });
});
