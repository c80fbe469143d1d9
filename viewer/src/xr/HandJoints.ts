import { InstancedMesh, Matrix4, MeshBasicMaterial, SphereGeometry, type Group, type XRHandSpace } from 'three';

const jointRadiusMeters = 0.006;
const jointCount = 25;

/**
 * A tracked hand drawn as small unlit spheres at its joints, so the user
 * sees where their fingers are. Drawn in the hand space's own frame from
 * the joint poses three.js updates every frame (no model download: the CSP
 * allows nothing but this origin).
 */
export class HandJoints {
  readonly mesh = new InstancedMesh(new SphereGeometry(jointRadiusMeters, 8, 6), new MeshBasicMaterial({ color: 0xd8dce2 }), jointCount);
  private readonly matrix = new Matrix4();

  constructor(private readonly hand: XRHandSpace) {
    this.mesh.frustumCulled = false;
    this.mesh.count = 0;
    hand.add(this.mesh);
  }

  update(): void {
    const joints = Object.values(this.hand.joints) as Group[];
    let count = 0;
    for (const joint of joints) {
      if (!joint.visible || count >= jointCount) continue;
      this.mesh.setMatrixAt(count, this.matrix.compose(joint.position, joint.quaternion, joint.scale));
      count += 1;
    }
    this.mesh.count = count;
    this.mesh.instanceMatrix.needsUpdate = true;
  }
}
