import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { createDefaultEmbedder, defaultEmbeddingDimension } from '../../../../functions/domain/embed/index.js';
import {
  extractFrame,
  probeVideo,
  processVideo,
  resolveFfmpegBinaries,
  type VideoInput,
} from '../../../../functions/domain/video/index.js';
import { ffmpeg, makeClip, makeRotatedClip, makeTwoShotClip, probeJson, videoPacketTimes } from '../../../helpers/testVideos.js';

const binaries = resolveFfmpegBinaries();
const embedder = createDefaultEmbedder();

describe('processVideo (real ffmpeg, no storage)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xr-process-video-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(input: VideoInput) {
    const workDir = await mkdtemp(join(dir, 'job-'));
    return processVideo({
      binaries,
      input,
      workDir,
      settings: pipelineConfig.video,
      foveation: pipelineConfig.foveation,
      embedder,
      maxKeyframes: pipelineConfig.embedding.maxKeyframes,
    });
  }

  it('finds the cut between two shots, takes keyframes from both and pools their embeddings', async () => {
    const path = makeTwoShotClip(join(dir, 'two-shots.mp4'), 2);
    const processed = await run({ path, demuxer: 'mov' });
    expect(processed.shots).toHaveLength(2);
    expect(processed.shots[0]!.startSeconds).toBe(0);
    expect(processed.shots[1]!.startSeconds).toBeGreaterThanOrEqual(1.5);
    expect(processed.shots[1]!.startSeconds).toBeLessThanOrEqual(2.5);
    for (const shot of processed.shots) {
      expect(shot.keyframeSeconds.length).toBeGreaterThan(0);
      for (const seconds of shot.keyframeSeconds) expect(seconds >= shot.startSeconds && seconds < shot.endSeconds).toBe(true);
    }
    expect(processed.embedding).toHaveLength(defaultEmbeddingDimension);
    const norm = Math.hypot(...processed.embedding);
    expect(norm).toBeCloseTo(1, 5);
    expect(processed.poster.seconds).toBeGreaterThanOrEqual(0);
    expect(processed.poster.seconds).toBeLessThan(4);
  });

  it('applies the display matrix: a landscape clip turned a quarter becomes portrait, poster and streams upright', async () => {
    const path = makeRotatedClip(dir, join(dir, 'rotated.mp4'));
    const processed = await run({ path, demuxer: 'mov' });
    expect(processed.probe.video).toMatchObject({ rotationDeg: 90, widthPx: 180, heightPx: 320 });
    const { pixels } = processed.poster;
    expect([pixels.widthPx, pixels.heightPx]).toEqual([180, 320]);
    // The red square stored top-left shows bottom-left once turned 90° counter-clockwise.
    const redness = (x: number, y: number) => {
      const i = (y * pixels.widthPx + x) * 3;
      return pixels.data[i]! - pixels.data[i + 2]!;
    };
    expect(redness(10, 310)).toBeGreaterThan(150);
    for (const [x, y] of [
      [10, 10],
      [170, 10],
      [170, 310],
    ] as const)
      expect(redness(x, y)).toBeLessThan(-150);
    for (const stream of [processed.base, processed.centre]) {
      const video = probeJson(stream.path).streams.find((entry) => entry.codec_type === 'video')!;
      expect(Number(video.height)).toBeGreaterThan(Number(video.width));
    }
  });

  it('reduces a 120 fps clip to 60 fps in both streams, with identical timestamps', async () => {
    const path = makeClip({ widthPx: 128, heightPx: 72, seconds: 1, frameRate: 120, path: join(dir, 'slow-motion.mp4') });
    const processed = await run({ path, demuxer: 'mov' });
    const base = videoPacketTimes(processed.base.path);
    const centre = videoPacketTimes(processed.centre.path);
    expect(base).toEqual(centre);
    expect(base).toHaveLength(60);
    expect(processed.base.facts.durationSeconds).toBeCloseTo(1, 2);
  });

  it('squares anamorphic pixels before planning: 640×480 stored at 4:3 shows 853×480', async () => {
    const path = join(dir, 'anamorphic.mkv');
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x480:rate=25:duration=1',
      '-vf',
      'setsar=4/3',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      path,
    ]);
    const processed = await run({ path, demuxer: 'matroska' });
    expect(processed.probe.video).toMatchObject({ widthPx: 853, heightPx: 480 });
    expect([processed.poster.pixels.widthPx, processed.poster.pixels.heightPx]).toEqual([853, 480]);
    const base = probeJson(processed.base.path).streams.find((entry) => entry.codec_type === 'video')!;
    expect(base.sample_aspect_ratio).toBe('1:1');
    // (A source this small is planned on a smaller panel (surfaceForImage), so its base is a few dozen pixels: big enough here to show the aspect.)
    expect(Number(base.width) / Number(base.height)).toBeCloseTo(853 / 480, 1);
  });

  it('leaves the base flat under the centre and still showing the picture around the centre rect', async () => {
    const path = makeClip({ widthPx: 1280, heightPx: 720, seconds: 0.4, path: join(dir, 'hd.mp4') });
    const processed = await run({ path, demuxer: 'mov' });
    const { base, centre } = processed.plan;
    const hole = base.hole!;
    const input = { path: processed.base.path, demuxer: 'mov' as const };
    const frame = await extractFrame(binaries.ffmpeg, input, await probeVideo(binaries.ffprobe, input, 30), 0.2, 30);
    const luma = (x: number, y: number) => {
      const i = (y * frame.widthPx + x) * 3;
      return (frame.data[i]! + frame.data[i + 1]! + frame.data[i + 2]!) / 3;
    };
    const spread = (points: [number, number][]) => {
      const values = points.map(([x, y]) => luma(x, y));
      return Math.max(...values) - Math.min(...values);
    };
    const row = (y: number, x0: number, x1: number) => Array.from({ length: x1 - x0 }, (_, i): [number, number] => [x0 + i, y]);
    expect(spread(row((hole.y0 + hole.y1) >> 1, hole.x0, hole.x1))).toBeLessThan(4);
    // Just outside the hole the base still shows the moving pattern (the centre's rect reaches beyond the hole).
    const centreTop = Math.floor((centre.source.y0 * base.heightPx) / processed.probe.video.heightPx);
    expect(hole.y0 - centreTop).toBeGreaterThanOrEqual(4);
    expect(spread(row(Math.max(0, centreTop - 2), 0, base.widthPx))).toBeGreaterThan(40);
  });
});
