import { Quaternion, Ray, Vector3, type Camera, type WebGLRenderer } from 'three';

export interface Gaze {
  /** World space. */
  ray: Ray;
  /** 'eyes' when the headset reports where the eyes look (an XR input source of targetRayMode 'gaze'). */
  source: 'head' | 'eyes';
}

const forward = new Vector3(0, 0, -1);

/**
 * Where the user looks: by default the head (the camera, or in XR the
 * viewer pose), and in XR the eyes where the device offers a gaze input
 * source (requested with the optional 'eye-tracking' feature; a headset
 * that does not track eyes simply never lists one).
 */
export class GazeTracker {
  private readonly ray = new Ray();
  private readonly orientation = new Quaternion();

  constructor(private readonly renderer: WebGLRenderer) {}

  current(camera: Camera): Gaze {
    const frame = this.renderer.xr.isPresenting ? this.renderer.xr.getFrame() : null;
    const space = this.renderer.xr.getReferenceSpace();
    if (frame && space) {
      const session = frame.session;
      for (const source of session.inputSources) {
        if (source.targetRayMode !== 'gaze') continue;
        const pose = frame.getPose(source.targetRaySpace, space);
        if (pose) return { ray: this.fromTransform(pose.transform), source: 'eyes' };
      }
      const viewer = frame.getViewerPose(space);
      if (viewer) return { ray: this.fromTransform(viewer.transform), source: 'head' };
    }
    camera.getWorldPosition(this.ray.origin);
    camera.getWorldDirection(this.ray.direction);
    return { ray: this.ray, source: 'head' };
  }

  private fromTransform(transform: XRRigidTransform): Ray {
    const { position, orientation } = transform;
    this.orientation.set(orientation.x, orientation.y, orientation.z, orientation.w);
    this.ray.origin.set(position.x, position.y, position.z);
    this.ray.direction.copy(forward).applyQuaternion(this.orientation);
    return this.ray;
  }
}
