import { MathUtils, Spherical, Vector3, type PerspectiveCamera } from 'three';
import type { OrbitControls } from 'three/addons/controls/OrbitControls.js';

const turnRatePerSecond = 8;
const doneRadians = 0.002;

/**
 * Turns the desktop view toward a point smoothly. The view is OrbitControls
 * orbiting a target at the eye from a hair's breadth away, so "look at P"
 * means "orbit to the side of the target opposite P".
 */
export class CameraAim {
  private readonly goal = new Spherical();
  private aiming = false;
  private readonly offset = new Vector3();
  private readonly current = new Spherical();

  constructor(
    private readonly camera: PerspectiveCamera,
    private readonly controls: OrbitControls,
  ) {}

  aimAt(point: Vector3): void {
    const lookDirection = new Vector3().subVectors(point, this.controls.target);
    if (lookDirection.lengthSq() === 0) return;
    this.goal.setFromVector3(lookDirection.negate());
    this.aiming = true;
  }

  /** The mouse always wins over an aim in progress. */
  cancel(): void {
    this.aiming = false;
  }

  /** Advances the turn; returns whether the camera moved. */
  update(deltaSeconds: number): boolean {
    if (!this.aiming) return false;
    this.offset.subVectors(this.camera.position, this.controls.target);
    this.current.setFromVector3(this.offset);
    const t = 1 - Math.exp(-turnRatePerSecond * deltaSeconds);
    const thetaError = Math.atan2(Math.sin(this.goal.theta - this.current.theta), Math.cos(this.goal.theta - this.current.theta));
    const phiError = this.goal.phi - this.current.phi;
    const done = Math.abs(thetaError) < doneRadians && Math.abs(phiError) < doneRadians;
    this.current.theta += done ? thetaError : thetaError * t;
    this.current.phi = MathUtils.clamp(this.current.phi + (done ? phiError : phiError * t), 0.01, Math.PI - 0.01);
    this.offset.setFromSpherical(this.current);
    this.camera.position.copy(this.controls.target).add(this.offset);
    this.camera.lookAt(this.controls.target);
    if (done) this.aiming = false;
    return true;
  }
}
