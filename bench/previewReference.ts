import sharp from 'sharp';
import { surfaceGeometry, type FoveatePlan } from '../functions/domain/foveate/index.js';

/** Process CPU (user + system, libvips' threads included) in milliseconds. */
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Runs `work` and returns its result with the process CPU it took. */
export async function cpuOf<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = cpuMs();
  const result = await work();
  return { result, ms: cpuMs() - start };
}

/**
 * The size a uniform image of the whole surface needs for one planned profile:
 * the source scaled to that profile's top PPD at the view axis (where a flat
 * panel is least dense in angle), never upsampled.
 */
export function uniformPpdMatchedSize(plan: FoveatePlan, profileIndex: number): { widthPx: number; heightPx: number } {
  const geometry = surfaceGeometry(plan.surface, plan.source.widthPx, plan.source.heightPx);
  const { x, y } = geometry.axisPx;
  const axisDegreesPerPx = geometry.degreesPerPxMax({ x0: x, y0: y, x1: x, y1: y });
  const scale = Math.min(1, plan.profiles[profileIndex]!.topPpd * Math.max(axisDegreesPerPx.x, axisDegreesPerPx.y));
  return { widthPx: Math.round(plan.source.widthPx * scale), heightPx: Math.round(plan.source.heightPx * scale) };
}

/**
 * WebP efforts the peer is timed at: sharp's default (4), and 2, the effort most of our tiles use, so the
 * ratio is never flattered by giving the peer a slower encoder than ours (3 costs as much as 4; 0-1 cost
 * 18-22 % more bytes). Ratios are quoted against the peer at 2; 4 is printed beside it.
 */
export const peerEfforts = [2, 4] as const;
export type PeerEffort = (typeof peerEfforts)[number];

/**
 * The peer a user would write instead of foveated layers: one bare sharp call that
 * decodes, resizes to the uniform PPD-matched size and encodes once, as WebP at
 * the tiles' quality and the given effort.
 */
export function bareSharpUniform(
  bytes: Uint8Array,
  size: { widthPx: number; heightPx: number },
  quality: number,
  maxPixels: number,
  effort: PeerEffort,
): Promise<Buffer> {
  return sharp(bytes, { limitInputPixels: maxPixels })
    .rotate()
    .resize(size.widthPx, size.heightPx, { fit: 'fill' })
    .webp({ quality, effort })
    .toBuffer();
}
