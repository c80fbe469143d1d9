export interface LoadedTexture {
  key: string;
  /** GPU bytes, mipmaps included. */
  bytes: number;
  /** The gaze still wants it (within its layer's radius plus hysteresis). */
  wanted: boolean;
  /** Angle from the gaze; the farthest goes first when over budget. */
  distanceDeg: number;
  /** The base layer is never released while the item is open: it is what shows everywhere else. */
  pinned: boolean;
}

/**
 * Which decoded textures to give back to the GPU: every one the gaze no
 * longer wants, then, while the rest still exceed `budgetBytes`, the wanted
 * ones farthest from the gaze (they will be fetched again if the gaze
 * returns). Pinned textures stay.
 */
export function texturesToRelease(loaded: readonly LoadedTexture[], budgetBytes: number): string[] {
  const release = loaded.filter((texture) => !texture.wanted && !texture.pinned).map((texture) => texture.key);
  let total = loaded.reduce((sum, texture) => sum + (texture.wanted || texture.pinned ? texture.bytes : 0), 0);
  const byDistance = loaded.filter((texture) => texture.wanted && !texture.pinned).sort((a, b) => b.distanceDeg - a.distanceDeg);
  for (const texture of byDistance) {
    if (total <= budgetBytes) break;
    release.push(texture.key);
    total -= texture.bytes;
  }
  return release;
}
