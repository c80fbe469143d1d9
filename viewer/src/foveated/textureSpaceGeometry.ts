import { BufferGeometry, Float32BufferAttribute } from 'three';
import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';

/**
 * The same tile laid flat in the source's own coordinates, for compositing
 * the layers into one texture (a WebXR composition layer): x = u and
 * y = 1 - v, so an orthographic camera over the unit square sees the image
 * upright, and the uv attribute carries source coordinates as on the
 * surface, so the tile shader is shared unchanged.
 */
export function textureSpaceGeometry(rect: NormalizedRect): BufferGeometry {
  const [left, top, right, bottom] = rect.map((value) => Math.min(1, Math.max(0, value))) as [number, number, number, number];
  const geometry = new BufferGeometry();
  geometry.setAttribute(
    'position',
    new Float32BufferAttribute([left, 1 - top, 0, left, 1 - bottom, 0, right, 1 - top, 0, right, 1 - bottom, 0], 3),
  );
  geometry.setAttribute('uv', new Float32BufferAttribute([left, top, left, bottom, right, top, right, bottom], 2));
  // Counter-clockwise as seen from +Z, like the surface meshes seen from their centre.
  geometry.setIndex([0, 1, 2, 2, 1, 3]);
  return geometry;
}
