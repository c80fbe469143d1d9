import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { sniffMediaType, UnsupportedTypeError } from '../../../../functions/domain/media/index.js';
import { makeAudioOnly, makeClip, realVideoPath } from '../../../helpers/testVideos.js';

/** Ingest sniffs from a ranged read of the first bytes only. */
const firstBytes = (path: string) => readFileSync(path).subarray(0, pipelineConfig.ingest.sniffBytes);

describe('sniffMediaType on videos', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xr-sniff-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['clip.mp4', 'video/mp4'],
    ['clip.mov', 'video/quicktime'],
    ['clip.mkv', 'video/matroska'],
    ['clip.webm', 'video/webm'],
    ['clip.avi', 'video/vnd.avi'],
  ])('knows %s as %s from its first bytes', async (name, mime) => {
    const path = makeClip({ widthPx: 64, heightPx: 48, seconds: 0.2, path: join(dir, name) });
    expect(await sniffMediaType(firstBytes(path))).toEqual({ kind: 'video', mime });
  });

  it('knows the real opencv-doc AVI files', async () => {
    expect(await sniffMediaType(firstBytes(realVideoPath('tree.avi')))).toEqual({ kind: 'video', mime: 'video/vnd.avi' });
  });

  it('refuses audio in an audio container, listing the image and video types it takes', async () => {
    const audio = makeAudioOnly(join(dir, 'tone.m4a'), 0.2);
    await expect(sniffMediaType(firstBytes(audio))).rejects.toBeInstanceOf(UnsupportedTypeError);
    await expect(sniffMediaType(firstBytes(audio))).rejects.toThrow(
      /its bytes are audio\/x-m4a; supported types are image\/jpeg, .*video\/mp4/,
    );
  });
});
