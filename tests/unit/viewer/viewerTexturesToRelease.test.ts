import { describe, expect, it } from 'vitest';
import { decodedTextureBytes } from '../../../viewer/src/foveated/decodedTextureBytes.js';
import { texturesToRelease, type LoadedTexture } from '../../../viewer/src/foveated/texturesToRelease.js';

const texture = (key: string, wanted: boolean, distanceDeg: number, bytes = 100, pinned = false): LoadedTexture => ({
  key,
  bytes,
  wanted,
  distanceDeg,
  pinned,
});

describe('texturesToRelease', () => {
  it('releases every texture the gaze no longer wants, never a pinned one', () => {
    expect(texturesToRelease([texture('base', false, 0, 100, true), texture('old', false, 40), texture('here', true, 0)], 1e9)).toEqual([
      'old',
    ]);
  });

  it('over budget, also releases the wanted textures farthest from the gaze until the rest fit', () => {
    const loaded = [
      texture('base', true, 0, 100, true),
      texture('near', true, 1),
      texture('mid', true, 10),
      texture('far', true, 20),
      texture('gone', false, 50),
    ];
    // Kept: base + near + mid + far = 400 bytes.
    expect(texturesToRelease(loaded, 400)).toEqual(['gone']);
    expect(texturesToRelease(loaded, 300)).toEqual(['gone', 'far']);
    expect(texturesToRelease(loaded, 250)).toEqual(['gone', 'far', 'mid']);
    // The pinned base counts against the budget but is never given back.
    expect(texturesToRelease(loaded, 0)).toEqual(['gone', 'far', 'mid', 'near']);
  });

  it('counts a texture with its mipmaps', () => {
    expect(decodedTextureBytes(1024, 1024, false)).toBe(4 * 1024 * 1024);
    expect(decodedTextureBytes(1024, 1024)).toBe(Math.ceil((4 * 4 * 1024 * 1024) / 3));
  });
});
