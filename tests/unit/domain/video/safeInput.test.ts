import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaRejectedError } from '../../../../functions/domain/media/index.js';
import {
  demuxerByMime,
  probeVideo,
  resolveFfmpegBinaries,
  runTool,
  safeInputArgs,
  VideoTimeLimitError,
  type VideoDemuxer,
} from '../../../../functions/domain/video/index.js';
import { ffconcatList, hlsPlaylist, makeClip } from '../../../helpers/testVideos.js';

const binaries = resolveFfmpegBinaries();
const demuxers = [...new Set(Object.values(demuxerByMime))] as VideoDemuxer[];

/** Frames ffmpeg decodes from a file given these input arguments (framemd5 prints one line per frame). */
function framesDecoded(inputArgs: readonly string[]): { frames: number; exitCode: number | null } {
  const run = spawnSync(binaries.ffmpeg, ['-hide_banner', '-v', 'error', '-nostdin', ...inputArgs, '-f', 'framemd5', '-'], {
    encoding: 'utf8',
  });
  return { frames: run.stdout.split('\n').filter((line) => /^\d+,/.test(line)).length, exitCode: run.status };
}

describe('safe ffmpeg input', () => {
  let dir: string;
  const disguised: { name: string; path: string }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xr-safe-input-'));
    // A real video beside the disguised files: what a playlist or concat list would make ffmpeg read.
    const secret = makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(dir, 'secret.ts') });
    const files = {
      'HLS playlist naming a local file by absolute path': hlsPlaylist(secret),
      'HLS playlist naming a local file by relative path': hlsPlaylist('secret.ts'),
      'ffconcat list naming a local file': ffconcatList('secret.ts'),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, `${disguised.length}.mp4`);
      writeFileSync(path, bytes);
      disguised.push({ name, path });
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('faces a real danger: a plain ffmpeg run follows each disguised file to the video it names', () => {
    for (const { path } of disguised) expect(framesDecoded(['-i', path]).frames).toBeGreaterThan(0);
  });

  it('never reads past the uploaded file: every allowlisted demuxer refuses the disguised files', async () => {
    for (const { name, path } of disguised) {
      for (const demuxer of demuxers) {
        const decoded = framesDecoded(safeInputArgs({ path, demuxer }));
        expect(decoded.frames, `${name} as ${demuxer}`).toBe(0);
        expect(decoded.exitCode, `${name} as ${demuxer}`).not.toBe(0);
        const probing = probeVideo(binaries.ffprobe, { path, demuxer }, 10);
        await expect(probing, `${name} as ${demuxer}`).rejects.toBeInstanceOf(MediaRejectedError);
        await expect(probing).rejects.toMatchObject({ code: expect.stringMatching(/^(corrupt|truncated)$/) });
      }
    }
  });

  it('reads a real file through the same arguments', async () => {
    const clip = makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(dir, 'ok.mp4') });
    expect(framesDecoded(safeInputArgs({ path: clip, demuxer: 'mov' })).frames).toBe(25);
    await expect(probeVideo(binaries.ffprobe, { path: clip, demuxer: 'mov' }, 10)).resolves.toMatchObject({
      video: { widthPx: 160, heightPx: 120 },
    });
  });

  it('names a path with a colon as a file, not a protocol', async () => {
    const clip = makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(dir, 'ok.mp4') });
    const colonPath = join(dir, 'http:clip.mp4');
    execFileSync('cp', [clip, colonPath]);
    await expect(probeVideo(binaries.ffprobe, { path: colonPath, demuxer: 'mov' }, 10)).resolves.toMatchObject({ container: 'mov' });
  });

  it('kills a run that overruns its time limit, and says which step', async () => {
    const started = Date.now();
    const endless = runTool({
      binary: binaries.ffmpeg,
      args: ['-hide_banner', '-nostdin', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=25', '-f', 'null', '-'],
      step: 'the endless test encode',
      timeLimitSeconds: 0.5,
    });
    await expect(endless).rejects.toBeInstanceOf(VideoTimeLimitError);
    await expect(endless).rejects.toThrow(/^the endless test encode did not finish within 1 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
