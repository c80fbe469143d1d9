import { Group, Matrix4, Mesh, PlaneGeometry, Vector3, type MeshBasicMaterial, type Object3D } from 'three';

const origin = new Vector3();
const up = new Vector3(0, 1, 0);

export interface RowPlacement {
  /** Distance from the row's origin (an eye) to each panel. */
  distanceMeters: number;
  /** Height of the row above or below the origin, as an angle: negative is below. */
  pitchDeg: number;
  /** Angle between neighbouring panels' centres. */
  stepDeg: number;
}

/**
 * Panels on an arc around the row's origin, each facing it, each standing
 * for one value (an item, an error record): what a ray hit is looked up
 * here. The row centres on -Z; SimilarStrip and RejectedStrip are rows.
 */
export class PanelRow<Value> {
  readonly object = new Group();
  private readonly panels: { value: Value; mesh: Mesh<PlaneGeometry, MeshBasicMaterial> }[] = [];

  get count(): number {
    return this.panels.length;
  }

  get pickables(): Object3D[] {
    return this.panels.map((panel) => panel.mesh);
  }

  get entries(): readonly { value: Value; mesh: Mesh<PlaneGeometry, MeshBasicMaterial> }[] {
    return this.panels;
  }

  valueAt(object: Object3D): Value | undefined {
    return this.panels.find((panel) => panel.mesh === object)?.value;
  }

  /** Adds the `index`-th of `total` panels, `widthMeters` × `heightMeters`, in its place on the arc. */
  add(
    value: Value,
    material: MeshBasicMaterial,
    widthMeters: number,
    heightMeters: number,
    index: number,
    total: number,
    placement: RowPlacement,
  ): Mesh<PlaneGeometry, MeshBasicMaterial> {
    const mesh = new Mesh(new PlaneGeometry(1, 1), material);
    placeOnArc(mesh, widthMeters, heightMeters, index, total, placement);
    this.panels.push({ value, mesh });
    this.object.add(mesh);
    return mesh;
  }

  /** Moves and resizes every panel to its place in `placement`; `size` gives each its width and height. */
  arrange(placement: RowPlacement, size: (value: Value) => { widthMeters: number; heightMeters: number }): void {
    this.panels.forEach(({ value, mesh }, index) => {
      const { widthMeters, heightMeters } = size(value);
      placeOnArc(mesh, widthMeters, heightMeters, index, this.panels.length, placement);
    });
  }

  clear(): void {
    for (const { mesh } of this.panels) {
      this.object.remove(mesh);
      mesh.material.map?.dispose();
      mesh.material.dispose();
      mesh.geometry.dispose();
    }
    this.panels.length = 0;
  }
}

function placeOnArc(mesh: Mesh, widthMeters: number, heightMeters: number, index: number, total: number, placement: RowPlacement): void {
  mesh.scale.set(widthMeters, heightMeters, 1);
  const yaw = ((-((total - 1) / 2) * placement.stepDeg + index * placement.stepDeg) * Math.PI) / 180;
  const pitch = (placement.pitchDeg * Math.PI) / 180;
  mesh.position.set(
    Math.cos(pitch) * Math.sin(yaw) * placement.distanceMeters,
    Math.sin(pitch) * placement.distanceMeters,
    -Math.cos(pitch) * Math.cos(yaw) * placement.distanceMeters,
  );
  // Face the row's origin (not the world's): +Z of the plane from the panel towards the origin, in the row's frame.
  mesh.quaternion.setFromRotationMatrix(new Matrix4().lookAt(origin, mesh.position, up));
}
