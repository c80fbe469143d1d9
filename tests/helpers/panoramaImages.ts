import sharp from 'sharp';

/** Photo Sphere XMP marking an image as a full equirectangular panorama. */
export function gpanoXmp(fields: Record<string, string | number> = {}): string {
  const attributes = Object.entries({ ProjectionType: 'equirectangular', ...fields })
    .map(([name, value]) => ` GPano:${name}="${value}"`)
    .join('');
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    `<rdf:Description rdf:about="" xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"${attributes}/>` +
    '</rdf:RDF></x:xmpmeta>'
  );
}

/**
 * A smooth but unambiguous equirect: red follows yaw, green pitch, blue a
 * slow wave, so a tile put in the wrong place (or a seam) shows as a large
 * error while resampling at different densities shows as a small one.
 */
function equirectPattern(widthPx: number, heightPx: number): Buffer {
  const pixels = Buffer.alloc(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y += 1) {
    for (let x = 0; x < widthPx; x += 1) {
      const u = (x + 0.5) / widthPx;
      const v = (y + 0.5) / heightPx;
      const offset = (y * widthPx + x) * 3;
      pixels[offset] = Math.round(20 + 215 * u);
      pixels[offset + 1] = Math.round(20 + 215 * v);
      pixels[offset + 2] = Math.round(128 + 100 * Math.sin(2 * Math.PI * (3 * u + 2 * v)));
    }
  }
  return pixels;
}

export async function makeEquirectJpeg(widthPx: number, heightPx: number, xmp: string | undefined = gpanoXmp()): Promise<Buffer> {
  const image = sharp(equirectPattern(widthPx, heightPx), { raw: { width: widthPx, height: heightPx, channels: 3 } });
  return (xmp ? image.withXmp(xmp) : image).jpeg({ quality: 92 }).toBuffer();
}
