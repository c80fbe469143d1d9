import { Vector4 } from 'three';
import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';

/**
 * The pixels of the composite target covering `rect` (fractions of the
 * source, v down), plus one pixel each side for the filtering at its edge;
 * GL counts rows from the bottom, where the composite has v = 1.
 */
export function compositeScissor(rect: NormalizedRect, widthPx: number, heightPx: number): Vector4 {
  const [left, top, right, bottom] = rect;
  const x0 = Math.max(0, Math.floor(left * widthPx) - 1);
  const x1 = Math.min(widthPx, Math.ceil(right * widthPx) + 1);
  const y0 = Math.max(0, Math.floor((1 - bottom) * heightPx) - 1);
  const y1 = Math.min(heightPx, Math.ceil((1 - top) * heightPx) + 1);
  return new Vector4(x0, y0, x1 - x0, y1 - y0);
}
