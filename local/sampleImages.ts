import sharp from 'sharp';

export interface SampleImage {
  name: string;
  bytes: Buffer;
}

/**
 * Sample media for a first run, generated rather than committed or downloaded:
 * Mandelbrot views with different palettes and framings, as JPEG and PNG, so
 * there is something distinct to look at and the index has real variety.
 */
export async function generateSampleImages(count: number): Promise<SampleImage[]> {
  const samples: SampleImage[] = [];
  for (let index = 0; index < count; index += 1) {
    const widthPx = index % 3 === 0 ? 1600 : 1200;
    const heightPx = index % 3 === 0 ? 900 : 1200;
    const pixels = renderMandelbrot(widthPx, heightPx, views[index % views.length]!, index);
    const image = sharp(pixels, { raw: { width: widthPx, height: heightPx, channels: 3 } });
    const png = index % 4 === 1;
    samples.push({
      name: `sample-${String(index + 1).padStart(2, '0')}.${png ? 'png' : 'jpg'}`,
      bytes: await (png ? image.png() : image.jpeg({ quality: 88 })).toBuffer(),
    });
  }
  return samples;
}

const views = [
  { centerX: -0.75, centerY: 0, spanX: 3.2 },
  { centerX: -0.7453, centerY: 0.1127, spanX: 0.012 },
  { centerX: -1.25066, centerY: 0.02012, spanX: 0.02 },
  { centerX: -0.1011, centerY: 0.9563, spanX: 0.03 },
  { centerX: 0.2549, centerY: 0.0005, spanX: 0.015 },
] as const;

function renderMandelbrot(widthPx: number, heightPx: number, view: (typeof views)[number], paletteSeed: number): Buffer {
  const maxIterations = 160;
  const pixels = Buffer.alloc(widthPx * heightPx * 3);
  const scale = view.spanX / widthPx;
  const phase = paletteSeed * 0.9;
  for (let y = 0; y < heightPx; y += 1) {
    for (let x = 0; x < widthPx; x += 1) {
      const cx = view.centerX + (x - widthPx / 2) * scale;
      const cy = view.centerY + (y - heightPx / 2) * scale;
      let zx = 0;
      let zy = 0;
      let iteration = 0;
      while (zx * zx + zy * zy < 4 && iteration < maxIterations) {
        const next = zx * zx - zy * zy + cx;
        zy = 2 * zx * zy + cy;
        zx = next;
        iteration += 1;
      }
      const offset = (y * widthPx + x) * 3;
      if (iteration === maxIterations) continue;
      const t = iteration / maxIterations;
      pixels[offset] = 127.5 * (1 + Math.sin(6.2 * t + phase));
      pixels[offset + 1] = 127.5 * (1 + Math.sin(6.2 * t + phase + 2.1));
      pixels[offset + 2] = 127.5 * (1 + Math.sin(6.2 * t + phase + 4.2));
    }
  }
  return pixels;
}
