import type { RawPixels } from '../embed/index.js';
import { classifyToolFailure } from './classifyToolFailure.js';
import { CorruptVideoError } from './errors.js';
import { runTool } from './runTool.js';
import { safeInputArgs, type VideoInput } from './safeInput.js';
import type { VideoProbe } from './types.js';

/**
 * The upright, square-pixel frame at `seconds`, at the displayed size, as RGB:
 * an accurate seek (ffmpeg decodes from the previous keyframe) and one frame.
 */
export async function extractFrame(
  ffmpeg: string,
  input: VideoInput,
  probe: VideoProbe,
  seconds: number,
  timeLimitSeconds: number,
): Promise<RawPixels> {
  const { widthPx, heightPx } = probe.video;
  const frameBytes = widthPx * heightPx * 3;
  const result = await runTool({
    binary: ffmpeg,
    args: [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-ss',
      seconds.toFixed(3),
      ...safeInputArgs(input),
      '-map',
      `0:${probe.video.index}`,
      '-frames:v',
      '1',
      '-vf',
      `scale=${widthPx}:${heightPx},setsar=1`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    step: `extracting the frame at ${seconds.toFixed(2)} s`,
    timeLimitSeconds,
    maxStdoutBytes: frameBytes,
  });
  if (result.exitCode !== 0) throw classifyToolFailure(probe.container, result.stderrTail);
  if (result.stdout.byteLength !== frameBytes) {
    throw new CorruptVideoError('corrupt', probe.container, `no frame could be decoded at ${seconds.toFixed(2)} s`);
  }
  return { data: result.stdout, widthPx, heightPx, channels: 3 };
}
