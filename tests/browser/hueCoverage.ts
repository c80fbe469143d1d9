import sharp from 'sharp';

export interface HueCoverage {
  /** Pixels of this hue (saturated and not dark), and their share of the image. */
  pixels: number;
  fraction: number;
  /** Bounding box of those pixels, in image pixels; undefined when there are none. */
  box?: { left: number; top: number; right: number; bottom: number };
}

const minSaturation = 0.5;
const minValue = 0.25;
export const maxHueDistanceDegrees = 20;

/**
 * How much of a PNG (a screenshot) shows each named hue (degrees on the HSV
 * wheel). Greys, the dark clear colour and white frames count for none.
 */
export async function hueCoverage<Name extends string>(png: Uint8Array, hues: Record<Name, number>): Promise<Record<Name, HueCoverage>> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const names = Object.keys(hues) as Name[];
  const coverage = Object.fromEntries(names.map((name) => [name, { pixels: 0, fraction: 0 }])) as Record<Name, HueCoverage>;
  for (let offset = 0, pixel = 0; offset < data.length; offset += info.channels, pixel += 1) {
    const hue = saturatedHue(data[offset]!, data[offset + 1]!, data[offset + 2]!);
    if (hue === undefined) continue;
    for (const name of names) {
      const distance = Math.abs(((hue - hues[name] + 540) % 360) - 180);
      if (distance > maxHueDistanceDegrees) continue;
      const entry = coverage[name];
      const x = pixel % info.width;
      const y = Math.floor(pixel / info.width);
      entry.pixels += 1;
      entry.box = entry.box
        ? {
            left: Math.min(entry.box.left, x),
            top: Math.min(entry.box.top, y),
            right: Math.max(entry.box.right, x),
            bottom: Math.max(entry.box.bottom, y),
          }
        : { left: x, top: y, right: x, bottom: y };
    }
  }
  for (const name of names) coverage[name].fraction = coverage[name].pixels / (info.width * info.height);
  return coverage;
}

/** HSV hue in degrees, or undefined for a pixel too grey or too dark to have one. */
export function saturatedHue(red: number, green: number, blue: number): number | undefined {
  const max = Math.max(red, green, blue);
  const min = Math.min(red, green, blue);
  if (max / 255 < minValue || (max - min) / max < minSaturation) return undefined;
  const chroma = max - min;
  const sector = max === red ? ((green - blue) / chroma + 6) % 6 : max === green ? (blue - red) / chroma + 2 : (red - green) / chroma + 4;
  return sector * 60;
}
