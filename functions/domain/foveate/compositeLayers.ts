import type { NormalizedRect } from './types.js';

export interface DecodedTexture {
  readonly rect: NormalizedRect;
  readonly textureRect: NormalizedRect;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
}

export interface CompositeSize {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly channels: number;
}

/**
 * A reference (CPU) version of what the viewer's shader does: each texture,
 * in paint order (coarse to fine), fills the output pixels whose centres lie
 * in its rect, sampled bilinearly through its textureRect. Tests and the
 * benchmark use it to see the preview as the viewer would.
 */
export function compositeLayers(textures: readonly DecodedTexture[], size: CompositeSize): Uint8Array {
  const out = new Uint8Array(size.widthPx * size.heightPx * size.channels);
  for (const texture of textures) paint(texture, size, out);
  return out;
}

function paint(texture: DecodedTexture, size: CompositeSize, out: Uint8Array): void {
  const [left, top, right, bottom] = texture.rect;
  const [texLeft, texTop, texRight, texBottom] = texture.textureRect;
  // Output pixel i has its centre at (i + 0.5) / width; take those with centres in [left, right).
  const i0 = Math.max(0, Math.ceil(left * size.widthPx - 0.5));
  const i1 = Math.min(size.widthPx, Math.ceil(right * size.widthPx - 0.5));
  const j0 = Math.max(0, Math.ceil(top * size.heightPx - 0.5));
  const j1 = Math.min(size.heightPx, Math.ceil(bottom * size.heightPx - 0.5));
  const { widthPx: tw, heightPx: th, channels: tc, pixels } = texture;
  const channels = Math.min(size.channels, tc);
  const scaleX = tw / (texRight - texLeft);
  const scaleY = th / (texBottom - texTop);
  for (let j = j0; j < j1; j += 1) {
    const v = (j + 0.5) / size.heightPx;
    const ty = Math.min(th - 1, Math.max(0, (v - texTop) * scaleY - 0.5));
    const y0 = Math.floor(ty);
    const y1 = Math.min(th - 1, y0 + 1);
    const fy = ty - y0;
    for (let i = i0; i < i1; i += 1) {
      const u = (i + 0.5) / size.widthPx;
      const tx = Math.min(tw - 1, Math.max(0, (u - texLeft) * scaleX - 0.5));
      const x0 = Math.floor(tx);
      const x1 = Math.min(tw - 1, x0 + 1);
      const fx = tx - x0;
      const a = (y0 * tw + x0) * tc;
      const b = (y0 * tw + x1) * tc;
      const c = (y1 * tw + x0) * tc;
      const d = (y1 * tw + x1) * tc;
      const o = (j * size.widthPx + i) * size.channels;
      for (let k = 0; k < channels; k += 1) {
        const topRow = pixels[a + k]! + (pixels[b + k]! - pixels[a + k]!) * fx;
        const bottomRow = pixels[c + k]! + (pixels[d + k]! - pixels[c + k]!) * fx;
        out[o + k] = Math.round(topRow + (bottomRow - topRow) * fy);
      }
    }
  }
}
