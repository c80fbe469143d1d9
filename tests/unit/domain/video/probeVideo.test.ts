import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  checkVideoLimits,
  NoVideoStreamError,
  parseFfprobeOutput,
  UnknownDurationError,
  VideoFrameRateTooHighError,
  VideoFrameTooLargeError,
  VideoTooLongError,
  type FfprobeOutput,
} from '../../../../functions/domain/video/index.js';

const { limits } = pipelineConfig.video;
const h264 = {
  index: 0,
  codec_type: 'video',
  codec_name: 'h264',
  width: 1920,
  height: 1080,
  avg_frame_rate: '30000/1001',
  r_frame_rate: '30000/1001',
};
const aac = { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000' };

describe('parseFfprobeOutput', () => {
  it('reads size, frame rate, duration and the streams', () => {
    const probe = parseFfprobeOutput({ streams: [h264, aac], format: { duration: '12.5' } }, 'mov');
    expect(probe).toMatchObject({ container: 'mov', durationSeconds: 12.5, hasAudio: true });
    expect(probe.video).toMatchObject({ index: 0, codec: 'h264', widthPx: 1920, heightPx: 1080, rotationDeg: 0, sampleAspect: 1 });
    expect(probe.video.frameRate).toBeCloseTo(29.97, 2);
    expect(probe.streams).toEqual([
      { index: 0, type: 'video', codec: 'h264', widthPx: 1920, heightPx: 1080 },
      { index: 1, type: 'audio', codec: 'aac', channels: 2, sampleRateHz: 48000 },
    ]);
  });

  it('turns the displayed size a quarter for a display matrix of ±90°, and normalises the angle', () => {
    for (const [rotation, expected] of [
      [90, 90],
      [-90, 270],
      [180, 180],
      [-180, 180],
      [270, 270],
    ] as const) {
      const probe = parseFfprobeOutput({ streams: [{ ...h264, side_data_list: [{ rotation }] }], format: { duration: '1' } }, 'mov');
      expect(probe.video.rotationDeg).toBe(expected);
      const quarter = expected % 180 !== 0;
      expect([probe.video.widthPx, probe.video.heightPx]).toEqual(quarter ? [1080, 1920] : [1920, 1080]);
    }
  });

  it('squares anamorphic pixels: 720×576 at 16:15 shows 768 wide', () => {
    const probe = parseFfprobeOutput(
      { streams: [{ ...h264, width: 720, height: 576, sample_aspect_ratio: '16:15' }], format: { duration: '1' } },
      'avi',
    );
    expect(probe.video).toMatchObject({ widthPx: 768, heightPx: 576 });
    expect(probe.video.sampleAspect).toBeCloseTo(16 / 15, 9);
  });

  it("takes Matroska's DURATION tag when the container states none, and the video's own duration where given", () => {
    const probe = parseFfprobeOutput({ streams: [{ ...h264, tags: { DURATION: '00:01:02.500000000' } }], format: {} }, 'matroska');
    expect(probe.durationSeconds).toBeCloseTo(62.5, 9);
    const withAudioTail = parseFfprobeOutput({ streams: [{ ...h264, duration: '9.9' }, aac], format: { duration: '10.4' } }, 'mov');
    expect(withAudioTail.durationSeconds).toBe(10.4);
    expect(withAudioTail.video.durationSeconds).toBe(9.9);
  });

  it('treats audio with cover art as no video, naming what the file holds', () => {
    const coverArt = { index: 1, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } };
    expect(() => parseFfprobeOutput({ streams: [aac, coverArt], format: { duration: '3' } }, 'mov')).toThrow(NoVideoStreamError);
    expect(() => parseFfprobeOutput({ streams: [aac], format: { duration: '3' } }, 'mov')).toThrow(
      /no video stream \(it holds only audio\)/,
    );
  });

  it('refuses a video whose length cannot be known before decoding', () => {
    const output: FfprobeOutput = { streams: [h264], format: {} };
    expect(() => parseFfprobeOutput(output, 'matroska')).toThrow(UnknownDurationError);
  });
});

describe('checkVideoLimits', () => {
  const probe = (overrides: { widthPx?: number; heightPx?: number; frameRate?: number; durationSeconds?: number }) => {
    const base = parseFfprobeOutput({ streams: [h264], format: { duration: '10' } }, 'mov');
    return { ...base, durationSeconds: overrides.durationSeconds ?? base.durationSeconds, video: { ...base.video, ...overrides } };
  };

  it('accepts 4K, 60 fps, up to the duration limit', () => {
    expect(() =>
      checkVideoLimits(probe({ widthPx: 3840, heightPx: 2160, frameRate: 60, durationSeconds: limits.maxDurationSeconds }), limits),
    ).not.toThrow();
  });

  it('names each limit a video exceeds', () => {
    expect(() => checkVideoLimits(probe({ widthPx: 7680, heightPx: 4320 }), limits)).toThrow(VideoFrameTooLargeError);
    expect(() => checkVideoLimits(probe({ widthPx: 7680, heightPx: 4320 }), limits)).toThrow(/7680×4320 pixels; the limit is 8,847,360/);
    expect(() => checkVideoLimits(probe({ durationSeconds: limits.maxDurationSeconds + 1 }), limits)).toThrow(VideoTooLongError);
    expect(() => checkVideoLimits(probe({ durationSeconds: 301 }), limits)).toThrow(/5 min 1 s long; videos are limited to 5 min 0 s/);
    expect(() => checkVideoLimits(probe({ frameRate: 480 }), limits)).toThrow(VideoFrameRateTooHighError);
  });
});
