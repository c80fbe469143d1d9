import type { Sharp } from 'sharp';
import { ssim } from 'ssim.js';
import type { PxBox } from '../functions/domain/foveate/index.js';

/** Image quality for the benchmarks: RGB frames, crops, SSIM maps and their acuity-weighted means. */
export interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

export async function rawRgb(image: Sharp): Promise<Rgb> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function crop(image: Rgb, box: PxBox): Rgb {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    data.set(image.data.subarray(((box.y0 + y) * image.width + box.x0) * 3, ((box.y0 + y) * image.width + box.x1) * 3), y * width * 3);
  }
  return { data, width, height };
}

function rgba(image: Rgb) {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let index = 0, out = 0; index < image.data.length; index += 3, out += 4) {
    data[out] = image.data[index]!;
    data[out + 1] = image.data[index + 1]!;
    data[out + 2] = image.data[index + 2]!;
    data[out + 3] = 255;
  }
  return { data, width: image.width, height: image.height };
}

/** ssim.js (Weber's fast sliding-window SSIM) at full resolution: no downsampling, the display grid is the point. */
export function ssimMap(reference: Rgb, test: Rgb) {
  return ssim(rgba(reference), rgba(test), { ssim: 'weber', downsample: false });
}

/**
 * Mean of an SSIM map weighted by the acuity model: each window centre's
 * useful PPD (eccentricity from the head direction, less the eye margin)
 * over the display's PPD.
 */
export function weightedSsim(
  map: { data: number[]; width: number; height: number },
  weightAt: (x: number, y: number) => number,
  windowOffset: number,
): number {
  let sum = 0;
  let weights = 0;
  for (let y = 0; y < map.height; y += 1) {
    for (let x = 0; x < map.width; x += 1) {
      const weight = weightAt(x + windowOffset, y + windowOffset);
      sum += weight * map.data[y * map.width + x]!;
      weights += weight;
    }
  }
  return sum / weights;
}
