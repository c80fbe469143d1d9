import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineConfig } from '../functions/config/index.js';
import type { RawPixels } from '../functions/domain/embed/index.js';
import type { ObjectStore } from '../functions/domain/items/index.js';
import { demuxerByMime, extractFrame, probeVideo, resolveFfmpegBinaries } from '../functions/domain/video/index.js';

/**
 * A video's frames at the given times, decoded again from its upload with the
 * same ffmpeg the video stage runs: what a backfill embeds for a video item.
 */
export function videoFramesFrom(
  store: ObjectStore,
): (uploadKey: string, mime: string, seconds: readonly number[]) => Promise<RawPixels[] | undefined> {
  const binaries = resolveFfmpegBinaries(process.env);
  const { timeLimits } = pipelineConfig.video;
  return async (uploadKey, mime, seconds) => {
    const demuxer = (demuxerByMime as Record<string, (typeof demuxerByMime)[keyof typeof demuxerByMime] | undefined>)[mime];
    if (!demuxer) return undefined;
    const workDir = await mkdtemp(join(tmpdir(), 'xr-backfill-'));
    try {
      const input = { path: join(workDir, 'source'), demuxer };
      if (!(await store.downloadToFile(uploadKey, input.path))) return undefined;
      const probe = await probeVideo(binaries.ffprobe, input, timeLimits.probeSeconds);
      const frames: RawPixels[] = [];
      for (const at of seconds) frames.push(await extractFrame(binaries.ffmpeg, input, probe, at, timeLimits.frameSeconds));
      return frames;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
}
