import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { displayProfile, displayProfiles, UnknownDisplayProfileError } from '../../../../functions/domain/foveate/index.js';

describe('displayProfiles', () => {
  it('holds the headsets the issue names, at their published or measured centre PPD', () => {
    expect(Object.fromEntries(Object.values(displayProfiles).map((profile) => [profile.id, profile.ppd]))).toEqual({
      'quest-3': 25,
      'quest-3s': 20,
      'pico-4': 20.6,
      'apple-vision-pro': 44,
      'samsung-galaxy-xr': 32,
      'varjo-xr-4': 51,
      'eye-20-20': 60,
    });
    expect(displayProfiles['apple-vision-pro'].averagePpd).toBe(34);
    for (const profile of Object.values(displayProfiles)) expect(profile.maxTextureSizePx).toBe(4096);
  });

  it('resolves every profile the config renders by default', () => {
    for (const id of pipelineConfig.foveation.profiles) expect(displayProfile(id).id).toBe(id);
    expect(pipelineConfig.foveation.profiles).toEqual(['quest-3', 'pico-4', 'apple-vision-pro']);
  });

  it('names an unknown profile and the known ones', () => {
    expect(() => displayProfile('quest-9')).toThrow(UnknownDisplayProfileError);
    expect(() => displayProfile('quest-9')).toThrow(/quest-9.*quest-3/);
  });
});
