import { Group, Mesh, MeshBasicMaterial, PlaneGeometry, type Intersection, type Object3D } from 'three';

/**
 * A video's progress under its panel: the track shows how much has
 * played; a click or controller select on it seeks there. In the item's
 * frame, centred at `y` below the surface at distance `z`.
 */
export class SeekBar {
  static readonly heightMeters = 0.05;
  readonly object = new Group();
  private readonly track: Mesh<PlaneGeometry, MeshBasicMaterial>;
  private readonly played: Mesh<PlaneGeometry, MeshBasicMaterial>;

  constructor(widthMeters: number, yMeters: number, zMeters: number) {
    this.track = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: 0x3a3f48 }));
    this.track.scale.set(widthMeters, SeekBar.heightMeters, 1);
    this.track.name = 'seek-bar';
    this.played = new Mesh(new PlaneGeometry(1, 1), new MeshBasicMaterial({ color: 0xe8eaed }));
    this.played.position.z = 0.002;
    this.object.add(this.track, this.played);
    this.object.position.set(0, yMeters, zMeters);
    this.setFraction(0);
  }

  get pickable(): Object3D {
    return this.track;
  }

  setFraction(fraction: number): void {
    const clamped = Math.max(0, Math.min(1, fraction));
    const width = this.track.scale.x;
    this.played.visible = clamped > 0;
    this.played.scale.set(Math.max(1e-4, width * clamped), SeekBar.heightMeters * 0.6, 1);
    this.played.position.x = (-width + width * clamped) / 2;
  }

  /** Where along the bar a hit on the track is, 0 (start) to 1 (end). */
  fractionAt(hit: Intersection): number | undefined {
    return hit.object === this.track && hit.uv ? hit.uv.x : undefined;
  }

  dispose(): void {
    for (const mesh of [this.track, this.played]) {
      mesh.geometry.dispose();
      mesh.material.dispose();
    }
  }
}
