import sharp from 'sharp';

/** The "same picture, changed" transforms of issue 3. */
export const transformNames = ['resize-50%', 'crop-80%', 'jpeg-q50', 'brightness+20%', 'brightness-20%', 'rotate-5deg'] as const;

/** The copies bench:embeddings searches for: harsher JPEG than the tests', plus mirroring and greyscale. */
export const benchTransformNames = [
  'resize-50%',
  'crop-80%',
  'jpeg-q30',
  'brightness+20%',
  'brightness-20%',
  'rotate-5deg',
  'flip-horizontal',
  'greyscale',
] as const;
export type TransformName = (typeof transformNames)[number] | (typeof benchTransformNames)[number];

/** The "same picture, changed" copies the issue lists, each re-encoded as JPEG (q90 unless the transform is the quality). */
export async function transformedCopy(bytes: Uint8Array, transform: TransformName): Promise<Buffer> {
  const image = sharp(bytes).rotate();
  const { width = 1, height = 1 } = await image.clone().metadata();
  switch (transform) {
    case 'resize-50%':
      return image
        .resize(Math.max(16, Math.round(width / 2)), Math.max(16, Math.round(height / 2)))
        .jpeg({ quality: 90 })
        .toBuffer();
    case 'crop-80%':
      return image
        .extract({
          left: Math.round(width * 0.1),
          top: Math.round(height * 0.1),
          width: Math.round(width * 0.8),
          height: Math.round(height * 0.8),
        })
        .jpeg({ quality: 90 })
        .toBuffer();
    case 'jpeg-q50':
      return image.jpeg({ quality: 50 }).toBuffer();
    case 'jpeg-q30':
      return image.jpeg({ quality: 30 }).toBuffer();
    case 'flip-horizontal':
      return image.flop().jpeg({ quality: 90 }).toBuffer();
    case 'greyscale':
      return image.greyscale().jpeg({ quality: 90 }).toBuffer();
    case 'brightness+20%':
      return image.modulate({ brightness: 1.2 }).jpeg({ quality: 90 }).toBuffer();
    case 'brightness-20%':
      return image.modulate({ brightness: 0.8 }).jpeg({ quality: 90 }).toBuffer();
    case 'rotate-5deg': {
      // Rotate on an expanded canvas, then cut the original size from the centre (corners show background).
      const rotated = await image.rotate(5, { background: '#000' }).toBuffer({ resolveWithObject: true });
      const left = Math.max(0, Math.round((rotated.info.width - width) / 2));
      const top = Math.max(0, Math.round((rotated.info.height - height) / 2));
      return sharp(rotated.data)
        .extract({ left, top, width: Math.min(width, rotated.info.width), height: Math.min(height, rotated.info.height) })
        .jpeg({ quality: 90 })
        .toBuffer();
    }
  }
}
