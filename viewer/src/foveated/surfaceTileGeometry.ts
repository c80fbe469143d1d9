import { BufferGeometry, Float32BufferAttribute } from 'three';
import type { NormalizedRect, SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import { surfaceDirection } from './surfaceDirection.js';

/** An equirect tile gets a vertex at least every this many degrees, so its curve is smooth. */
const maxSegmentDeg = 4;

/**
 * The mesh for `rect` (fractions of the source) of a surface seen from the
 * origin: a flat surface is the plane at `distanceMeters` (two triangles
 * suffice, plane coordinates are linear in the pixels), an equirect one the
 * sphere of that radius, subdivided. The `uv` attribute carries source
 * coordinates (u right, v down), which the tile shader maps into each
 * texture; triangles face the origin.
 */
export function surfaceTileGeometry(surface: SurfaceSpec, rect: NormalizedRect, distanceMeters: number): BufferGeometry {
  const [left, top, right, bottom] = rect;
  const flat = surface.projection === 'flat';
  const yawSpan = Math.abs(surface.yawDeg[1] - surface.yawDeg[0]) * (right - left);
  const pitchSpan = Math.abs(surface.pitchDeg[1] - surface.pitchDeg[0]) * (bottom - top);
  const columns = flat ? 1 : Math.max(1, Math.ceil(yawSpan / maxSegmentDeg));
  const rows = flat ? 1 : Math.max(1, Math.ceil(pitchSpan / maxSegmentDeg));
  const positions: number[] = [];
  const uvs: number[] = [];
  for (let row = 0; row <= rows; row += 1) {
    const v = top + ((bottom - top) * row) / rows;
    for (let column = 0; column <= columns; column += 1) {
      const u = left + ((right - left) * column) / columns;
      const [x, y, z] = surfaceDirection(surface, u, v);
      // A flat surface is a plane: scale each direction out to the plane's distance, not the sphere's.
      const scale = flat ? distanceMeters / -z : distanceMeters;
      positions.push(x * scale, y * scale, z * scale);
      uvs.push(u, v);
    }
  }
  const indices: number[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      const topLeft = row * (columns + 1) + column;
      const bottomLeft = topLeft + columns + 1;
      // Counter-clockwise as seen from the origin (u grows right, v grows down).
      indices.push(topLeft, bottomLeft, topLeft + 1, topLeft + 1, bottomLeft, bottomLeft + 1);
    }
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.setAttribute('uv', new Float32BufferAttribute(uvs, 2));
  geometry.setIndex(indices);
  geometry.computeBoundingSphere();
  return geometry;
}
