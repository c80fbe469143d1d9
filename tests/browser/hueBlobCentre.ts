import sharp from 'sharp';
import { maxHueDistanceDegrees, saturatedHue } from './hueCoverage.js';

/** Columns with fewer pixels of the hue than this are gaps between panels. */
const minColumnPixels = 8;
/** Panels drawn dimmed (the gallery behind an opened item or search results) are not targets. */
const minBrightness = 128;

/**
 * Where to click a bright panel of one hue in a screenshot: the centre of
 * the widest run of adjacent columns holding that hue (so a red stripe in
 * some other picture does not pull the point off the red panel), at the
 * middle row of that run's pixels. Undefined when the hue is not there.
 */
export async function hueBlobCentre(png: Uint8Array, hueDegrees: number): Promise<{ x: number; y: number } | undefined> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rowsByColumn: number[][] = Array.from({ length: info.width }, () => []);
  for (let y = 0; y < info.height; y += 1) {
    for (let x = 0; x < info.width; x += 1) {
      const at = (y * info.width + x) * info.channels;
      const [red, green, blue] = [data[at]!, data[at + 1]!, data[at + 2]!];
      const hue = Math.max(red, green, blue) >= minBrightness ? saturatedHue(red, green, blue) : undefined;
      if (hue !== undefined && Math.abs(((hue - hueDegrees + 540) % 360) - 180) <= maxHueDistanceDegrees) rowsByColumn[x]!.push(y);
    }
  }
  let best: [number, number] | undefined;
  let start = -1;
  for (let x = 0; x <= info.width; x += 1) {
    const filled = x < info.width && rowsByColumn[x]!.length >= minColumnPixels;
    if (filled && start < 0) start = x;
    if (!filled && start >= 0) {
      if (!best || x - start > best[1] - best[0]) best = [start, x];
      start = -1;
    }
  }
  if (!best) return undefined;
  const x = Math.floor((best[0] + best[1]) / 2);
  const rows = rowsByColumn[x]!;
  return { x, y: rows[Math.floor(rows.length / 2)]! };
}
