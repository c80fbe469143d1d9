import { Matrix4, Ray, Sphere, Vector3, type Object3D } from 'three';
import type { SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import type { Direction } from './surfaceDirection.js';

const inverse = new Matrix4();
const localRay = new Ray();
const hit = new Vector3();
const unitSphere = new Sphere(new Vector3(), 1);

/**
 * The gaze as a direction in the item's frame (the frame's origin is where
 * the surface was planned to be seen from). The gaze ray, in world space,
 * is intersected with the surface, so a panel that was grabbed and moved
 * still gets the tiles under the user's gaze; when the ray misses (the
 * panel is behind or beside the user) its direction is used as it is.
 */
export function gazeInItemFrame(gaze: Ray, frame: Object3D, surface: SurfaceSpec, distanceMeters: number): Direction {
  inverse.copy(frame.matrixWorld).invert();
  localRay.copy(gaze).applyMatrix4(inverse);
  localRay.direction.normalize();
  let point: Vector3 | null;
  if (surface.projection === 'flat') {
    const along = localRay.direction.z < 0 ? (-distanceMeters - localRay.origin.z) / localRay.direction.z : -1;
    point = along > 0 ? hit.copy(localRay.direction).multiplyScalar(along).add(localRay.origin) : null;
  } else {
    unitSphere.radius = distanceMeters;
    point = localRay.intersectSphere(unitSphere, hit);
  }
  const direction = point && point.lengthSq() > 0 ? point.normalize() : localRay.direction;
  return [direction.x, direction.y, direction.z];
}
