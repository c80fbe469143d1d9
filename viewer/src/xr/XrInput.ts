import {
  BufferGeometry,
  Float32BufferAttribute,
  Line,
  LineBasicMaterial,
  Raycaster,
  type Intersection,
  type Object3D,
  type WebGLRenderer,
  type XRTargetRaySpace,
} from 'three';
import type { BrowseDirection } from '../neighbourPanel.js';
import { HandJoints } from './HandJoints.js';
import { thumbstickStep, type ThumbstickState } from './thumbstickStep.js';

const rayLengthMeters = 12;

export interface XrInputHandlers {
  /** Trigger, or a pinch with a tracked hand. */
  onSelect(hit: Intersection | undefined): void;
  /** Grip, or a grab with a tracked hand; `controller` is the pose to follow while it lasts. */
  onSqueezeStart(hit: Intersection | undefined, controller: Object3D): void;
  onSqueezeEnd(controller: Object3D): void;
  /** A thumbstick pushed past the press threshold (once per push). */
  onThumbstick(direction: BrowseDirection): void;
}

export interface ThumbstickThresholds {
  thumbstickPress: number;
  thumbstickRelease: number;
}

/**
 * Controllers and tracked hands, both as WebXR input sources: a ray from
 * each (shortened to what it points at), select and squeeze reported with
 * what the ray hit, thumbsticks as browse steps. Hands also get their
 * joints drawn. `pickables` lists only what is shown.
 */
export class XrInput {
  readonly objects: Object3D[] = [];
  private readonly controllers: XRTargetRaySpace[];
  private readonly hands: HandJoints[];
  private readonly sticks: ThumbstickState[] = [{ armed: true }, { armed: true }];
  private readonly raycaster = new Raycaster();

  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly handlers: XrInputHandlers,
    private readonly pickables: () => Object3D[],
    private readonly thresholds: ThumbstickThresholds,
  ) {
    const rayGeometry = new BufferGeometry();
    rayGeometry.setAttribute('position', new Float32BufferAttribute([0, 0, 0, 0, 0, -1], 3));
    const rayMaterial = new LineBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.7 });
    this.controllers = [0, 1].map((index) => {
      const controller = renderer.xr.getController(index);
      const ray = new Line(rayGeometry, rayMaterial);
      ray.name = 'ray';
      ray.scale.z = rayLengthMeters;
      controller.add(ray);
      controller.addEventListener('select', () => handlers.onSelect(this.hit(controller)));
      controller.addEventListener('squeezestart', () => handlers.onSqueezeStart(this.hit(controller), controller));
      controller.addEventListener('squeezeend', () => handlers.onSqueezeEnd(controller));
      return controller;
    });
    this.hands = [0, 1].map((index) => new HandJoints(renderer.xr.getHand(index)));
    this.objects.push(...this.controllers, ...[0, 1].map((index) => renderer.xr.getHand(index)));
  }

  /** The nearest pickable under this controller's ray. */
  hit(controller: XRTargetRaySpace): Intersection | undefined {
    this.raycaster.setFromXRController(controller);
    return this.raycaster.intersectObjects(this.pickables(), false)[0];
  }

  /** Rays, hand joints and thumbsticks; returns the first controller's hit, for hover. */
  update(): Intersection | undefined {
    let firstHit: Intersection | undefined;
    for (const controller of this.controllers) {
      if (!controller.visible) continue;
      const hit = this.hit(controller);
      const ray = controller.getObjectByName('ray');
      if (ray) ray.scale.z = hit ? hit.distance : rayLengthMeters;
      firstHit ??= hit;
    }
    for (const hand of this.hands) hand.update();
    this.pollThumbsticks();
    return firstHit;
  }

  private pollThumbsticks(): void {
    const session = this.renderer.xr.getSession();
    if (!session) return;
    let index = 0;
    for (const source of session.inputSources) {
      const axes = source.gamepad?.axes;
      if (!axes || axes.length < 4 || index >= this.sticks.length) continue;
      const step = thumbstickStep(
        this.sticks[index]!,
        axes[2]!,
        axes[3]!,
        this.thresholds.thumbstickPress,
        this.thresholds.thumbstickRelease,
      );
      if (step) this.handlers.onThumbstick(step);
      index += 1;
    }
  }
}
