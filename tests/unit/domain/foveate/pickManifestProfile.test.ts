import { describe, expect, it } from 'vitest';
import { pickManifestProfile, type FoveatedManifest, type ManifestProfile } from '../../../../functions/domain/foveate/index.js';

const profile = (id: string, displayPpd: number): ManifestProfile => ({
  id,
  label: id,
  displayPpd,
  topPpd: displayPpd,
  foveaRadiusDeg: 17,
  foveaRect: [0.3, 0.3, 0.7, 0.7],
  layers: [],
});
const manifest = {
  profiles: [profile('apple-vision-pro', 44), profile('quest-3', 25), profile('pico-4', 20.6)],
} as unknown as FoveatedManifest;

describe('pickManifestProfile', () => {
  it('takes the finest planned profile the measured display can show', () => {
    expect(pickManifestProfile(manifest, { ppd: 25 }).id).toBe('quest-3');
    expect(pickManifestProfile(manifest, { ppd: 30.5 }).id).toBe('quest-3');
    expect(pickManifestProfile(manifest, { ppd: 21 }).id).toBe('pico-4');
    expect(pickManifestProfile(manifest, { ppd: 60 }).id).toBe('apple-vision-pro');
  });

  it('falls back to the coarsest for a display below every plan', () => {
    expect(pickManifestProfile(manifest, { ppd: 12 }).id).toBe('pico-4');
  });
});
