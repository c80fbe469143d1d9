import { Group, Ray, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import type { SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import { gazeInItemFrame } from '../../../viewer/src/foveated/gazeInItemFrame.js';
import { directionAngles } from '../../../viewer/src/foveated/surfaceDirection.js';

const panel: SurfaceSpec = { projection: 'flat', name: 'panel', yawDeg: [-45, 45], pitchDeg: [-30, 30] };
const sphere: SurfaceSpec = { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] };

function frameAt(position: Vector3, yawRadians: number): Group {
  const frame = new Group();
  frame.position.copy(position);
  frame.rotation.y = yawRadians;
  frame.updateMatrixWorld(true);
  return frame;
}

describe('gazeInItemFrame', () => {
  it('turns a world gaze into the item frame: a panel opened to the left sees a gaze to the left as straight ahead', () => {
    const frame = frameAt(new Vector3(0, 1.6, 0), Math.PI / 2);
    const gaze = new Ray(new Vector3(0, 1.6, 0), new Vector3(-1, 0, 0));
    const [x, y, z] = gazeInItemFrame(gaze, frame, panel, 1.5);
    expect(x).toBeCloseTo(0, 9);
    expect(y).toBeCloseTo(0, 9);
    expect(z).toBeCloseTo(-1, 9);
  });

  it('follows a grabbed panel: the direction is to where the gaze meets the panel, seen from the frame origin', () => {
    // The panel was moved 0.5 m to the right; the user, still at the old eye, looks straight at the panel's centre.
    const frame = frameAt(new Vector3(0.5, 1.6, 0), 0);
    const gaze = new Ray(new Vector3(0, 1.6, 0), new Vector3(0.5, 0, -1.5).normalize());
    const { yawDeg, pitchDeg } = directionAngles(gazeInItemFrame(gaze, frame, panel, 1.5));
    expect(yawDeg).toBeCloseTo(0, 6);
    expect(pitchDeg).toBeCloseTo(0, 6);
  });

  it('on a sphere, takes the point where the gaze meets it, even from off centre', () => {
    const frame = frameAt(new Vector3(0, 1.6, 0), 0);
    // The head moved 1 m right of the sphere's centre and looks straight ahead: it meets the sphere at yaw asin(1/10).
    const gaze = new Ray(new Vector3(1, 1.6, 0), new Vector3(0, 0, -1));
    const { yawDeg } = directionAngles(gazeInItemFrame(gaze, frame, sphere, 10));
    expect(yawDeg).toBeCloseTo((Math.asin(1 / 10) * 180) / Math.PI, 6);
    // Looking away from a flat panel, the direction is used as it is.
    const behind = gazeInItemFrame(new Ray(new Vector3(0, 1.6, 0), new Vector3(0, 0, 1)), frame, panel, 1.5);
    expect(behind[2]).toBeCloseTo(1, 9);
  });
});
