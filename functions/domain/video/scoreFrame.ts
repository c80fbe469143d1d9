import sharp from 'sharp';
import type { RawPixels } from '../embed/index.js';

/**
 * How good a frame is as a poster: detailed (grey-level entropy), in focus
 * (sharp's Laplacian-based sharpness) and neither nearly black nor nearly
 * white (fades, flashes). Only the ranking matters.
 */
export async function scoreFrame(pixels: RawPixels): Promise<number> {
  const { entropy, sharpness, channels } = await sharp(pixels.data, {
    raw: { width: pixels.widthPx, height: pixels.heightPx, channels: pixels.channels },
  }).stats();
  const meanLevel = channels.slice(0, 3).reduce((sum, channel) => sum + channel.mean, 0) / 3;
  const exposure = meanLevel < 40 || meanLevel > 215 ? 0.25 : 1;
  return entropy * Math.sqrt(Math.max(0, sharpness)) * exposure;
}
