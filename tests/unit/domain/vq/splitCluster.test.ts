import { describe, expect, it } from 'vitest';
import { BlockScorers } from '../../../../functions/domain/vq/blockScorer.js';
import { createPrng } from '../../../../functions/domain/vq/index.js';
import { splitInTwo } from '../../../../functions/domain/vq/splitCluster.js';
import { clusteredVectors } from '../../../helpers/vectorSets.js';

const rowsOf = (vectors: Float32Array[], dimension: number) => {
  const rows = new Float32Array(vectors.length * dimension);
  vectors.forEach((vector, i) => rows.set(vector, i * dimension));
  return rows;
};

describe('splitInTwo', () => {
  it('cuts two blobs apart along their principal direction, whatever their sizes', () => {
    const dimension = 32;
    const { vectors, labels } = clusteredVectors({ count: 300, dimension, clusters: 2, seed: 8, spread: 0.3 });
    const inB = splitInTwo(rowsOf(vectors, dimension), vectors.length, dimension, createPrng(1), 4, new BlockScorers());
    const sideOfLabel0 = inB[labels.indexOf(0)];
    labels.forEach((label, i) => expect(inB[i] === sideOfLabel0).toBe(label === 0));
  });

  it('keeps at least a quarter on each side, and halves duplicates', () => {
    const dimension = 16;
    const big = clusteredVectors({ count: 190, dimension, clusters: 1, seed: 2, spread: 0.2 }).vectors;
    const outlier = clusteredVectors({ count: 10, dimension, clusters: 1, seed: 3, spread: 0.2 }).vectors;
    const inB = splitInTwo(rowsOf([...big, ...outlier], dimension), 200, dimension, createPrng(1), 4, new BlockScorers());
    const movers = inB.reduce((a, b) => a + b, 0);
    expect(movers).toBeGreaterThanOrEqual(49);
    expect(movers).toBeLessThanOrEqual(151);
    const same = new Float32Array(dimension).fill(0.25);
    const duplicates = splitInTwo(
      rowsOf(
        Array.from({ length: 20 }, () => same),
        dimension,
      ),
      20,
      dimension,
      createPrng(1),
      2,
      new BlockScorers(),
    );
    expect(duplicates.reduce((a, b) => a + b, 0)).toBe(10);
  });
});
