import sharp, { type Sharp } from 'sharp';

/** A photo-like test image: a gradient with a coloured block, so decoding errors show. */
function testImage(widthPx: number, heightPx: number, hue: string): Sharp {
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">` +
      `<defs><linearGradient id="g"><stop offset="0" stop-color="${hue}"/><stop offset="1" stop-color="#fff"/></linearGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#g)"/><rect x="10%" y="10%" width="20%" height="30%" fill="#123"/></svg>`,
  );
  return sharp(gradient);
}

export const makeJpeg = (widthPx: number, heightPx: number, hue = '#c04020') =>
  testImage(widthPx, heightPx, hue).jpeg({ quality: 85 }).toBuffer();
export const makePng = (widthPx: number, heightPx: number, hue = '#2040c0') => testImage(widthPx, heightPx, hue).png().toBuffer();
export const makeWebp = (widthPx: number, heightPx: number, hue = '#20a040') =>
  testImage(widthPx, heightPx, hue).webp({ quality: 85 }).toBuffer();
