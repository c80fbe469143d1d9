import { describe, expect, it } from 'vitest';
import { ClusterSums } from '../../../../functions/domain/vq/clusterSums.js';
import { clusteredVectors } from '../../../helpers/vectorSets.js';

describe('ClusterSums', () => {
  it('gives bit-identical centroids whatever order members came, moved and left in', () => {
    const dimension = 24;
    const { vectors } = clusteredVectors({ count: 200, dimension, clusters: 3, seed: 4 });
    const forward = new ClusterSums(dimension, 1);
    const shuffled = new ClusterSums(dimension, 1);
    vectors.forEach((vector) => forward.add(0, vector));
    const order = vectors.map((_, i) => (i * 37) % vectors.length);
    for (const i of order) shuffled.add(3, vectors[i]!);
    // Detours: add to another cluster, move back, remove and re-add.
    shuffled.move(3, 5, vectors[7]!);
    shuffled.move(5, 3, vectors[7]!);
    shuffled.remove(3, vectors[9]!);
    shuffled.add(3, vectors[9]!);
    const a = new Float32Array(dimension);
    const b = new Float32Array(dimension);
    expect(forward.centroidInto(0, a, 0)).toBe(true);
    expect(shuffled.centroidInto(3, b, 0)).toBe(true);
    expect(b).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(shuffled.centroidInto(5, b, 0)).toBe(false);
    expect(shuffled.centroidInto(99, b, 0)).toBe(false);
  });
});
