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

const rayLengthMeters = 5;

export type ControllerEvent = 'select' | 'squeeze';

/**
 * The two tracked controllers, each drawn as a pointing ray. The ray stops
 * where it hits; a select or squeeze reports what the ray hit (if anything).
 */
export class XrControllers {
  readonly controllers: XRTargetRaySpace[];
  private readonly raycaster = new Raycaster();

  constructor(
    renderer: WebGLRenderer,
    private readonly onEvent: (event: ControllerEvent, hit: Intersection | undefined, controller: XRTargetRaySpace) => void,
    private readonly pickables: () => Object3D[],
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
      controller.addEventListener('select', () => this.onEvent('select', this.hit(controller), controller));
      controller.addEventListener('squeeze', () => this.onEvent('squeeze', this.hit(controller), controller));
      return controller;
    });
  }

  /** The nearest pickable under this controller's ray (pickables() lists only what is shown). */
  hit(controller: XRTargetRaySpace): Intersection | undefined {
    this.raycaster.setFromXRController(controller);
    return this.raycaster.intersectObjects(this.pickables(), false)[0];
  }

  /** Shortens each ray to what it points at; returns the first controller's hit, for hover. */
  update(): Intersection | undefined {
    let firstHit: Intersection | undefined;
    for (const controller of this.controllers) {
      if (!controller.visible) continue;
      const hit = this.hit(controller);
      const ray = controller.getObjectByName('ray');
      if (ray) ray.scale.z = hit ? hit.distance : rayLengthMeters;
      firstHit ??= hit;
    }
    return firstHit;
  }
}
