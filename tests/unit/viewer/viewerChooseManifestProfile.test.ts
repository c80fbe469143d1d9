import { describe, expect, it } from 'vitest';
import { chooseManifestProfile } from '../../../viewer/src/foveated/chooseManifestProfile.js';
import { plannedManifest } from '../../helpers/plannedManifest.js';

describe('chooseManifestProfile', () => {
  const { manifest } = plannedManifest(8000, 5000, ['quest-3', 'pico-4', 'apple-vision-pro']);
  const largestSide = (id: string) =>
    Math.max(
      ...manifest.profiles
        .find((profile) => profile.id === id)!
        .layers.flatMap((name) =>
          manifest.layers.find((layer) => layer.name === name)!.tiles.map((tile) => Math.max(tile.widthPx, tile.heightPx)),
        ),
    );

  it('takes the finest profile the measured PPD can show', () => {
    expect(chooseManifestProfile(manifest, { ppd: 25.4, maxTextureSizePx: 8192 }).id).toBe('quest-3');
    expect(chooseManifestProfile(manifest, { ppd: 50, maxTextureSizePx: 8192 }).id).toBe('apple-vision-pro');
    expect(chooseManifestProfile(manifest, { ppd: 21, maxTextureSizePx: 8192 }).id).toBe('pico-4');
    // A desktop window below every headset's PPD still gets the coarsest plan.
    expect(chooseManifestProfile(manifest, { ppd: 11, maxTextureSizePx: 8192 }).id).toBe('pico-4');
  });

  it('skips a profile with a texture larger than the GPU accepts (MAX_TEXTURE_SIZE)', () => {
    // Pico 4 shows Quest 3's full-PPD tiles, so the two fit the same GPUs.
    const limit = largestSide('apple-vision-pro') - 1;
    expect(largestSide('quest-3')).toBeLessThanOrEqual(limit);
    expect(chooseManifestProfile(manifest, { ppd: 50, maxTextureSizePx: limit }).id).toBe('quest-3');
    expect(chooseManifestProfile(manifest, { ppd: 21, maxTextureSizePx: limit }).id).toBe('pico-4');
    // No profile fits at all: the coarsest is drawn (three.js shrinks what is too large).
    expect(chooseManifestProfile(manifest, { ppd: 50, maxTextureSizePx: 16 }).id).toBe('pico-4');
  });
});
