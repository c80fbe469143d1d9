import { describe, expect, it } from 'vitest';
import { chooseMediaLayer } from '../../../viewer/src/xr/chooseMediaLayer.js';
import { plannedManifest } from '../../helpers/plannedManifest.js';

const both = { quad: true, equirect: true };
const limits = { maxTextureSizePx: 8192, textureBudgetBytes: 64 * 1024 * 1024 };

describe('chooseMediaLayer', () => {
  it('puts a photo on a quad layer the size of its full-PPD layer', () => {
    const { manifest, plan } = plannedManifest(6000, 4000);
    const profile = manifest.profiles.find((candidate) => candidate.id === 'quest-3')!;
    const layer = chooseMediaLayer(manifest, profile, both, limits)!;
    expect(layer.kind).toBe('quad');
    // At least as dense as every full-PPD tile (source pixels per texture pixel), and no denser than the densest.
    const finest = plan.layers.find((candidate) => candidate.name === profile.layers.at(-1))!;
    const densities = finest.tiles.map((tile) => tile.widthPx / (tile.source.x1 - tile.source.x0));
    expect(layer.widthPx / 6000).toBeGreaterThanOrEqual(Math.max(...densities) * 0.999);
    expect(layer.widthPx / 6000).toBeLessThanOrEqual(Math.max(...densities) * 1.001);
    expect(layer.widthPx / layer.heightPx).toBeCloseTo(1.5, 1);
  });

  it('keeps a 360° panorama on the shader path when its full-PPD texture is larger than the GPU allows, and uses an equirect layer when it fits', () => {
    const { manifest } = plannedManifest(8192, 4096);
    const profile = manifest.profiles.find((candidate) => candidate.id === 'quest-3')!;
    expect(chooseMediaLayer(manifest, profile, both, { ...limits, maxTextureSizePx: 4096 })).toBeUndefined();
    const small = plannedManifest(2048, 1024).manifest;
    // A 2048 px panorama is below the display's PPD: its full-PPD layer is the source itself.
    expect(chooseMediaLayer(small, small.profiles[0]!, both, limits)).toEqual({ kind: 'equirect', widthPx: 2048, heightPx: 1024 });
  });

  it('falls back when the browser has no such layer or the texture budget is too small', () => {
    const { manifest } = plannedManifest(6000, 4000);
    const profile = manifest.profiles[0]!;
    expect(chooseMediaLayer(manifest, profile, { quad: false, equirect: true }, limits)).toBeUndefined();
    expect(chooseMediaLayer(manifest, profile, both, { ...limits, textureBudgetBytes: 8 * 1024 * 1024 })).toBeUndefined();
  });
});
