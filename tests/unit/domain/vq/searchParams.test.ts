import { describe, expect, it } from 'vitest';
import { defaultSearchParams, InvalidVqParameterError, resolveSearchParams } from '../../../../functions/domain/vq/index.js';

describe('resolveSearchParams', () => {
  it('fills defaults from the config and keeps what the call sets', () => {
    expect(resolveSearchParams()).toEqual(defaultSearchParams);
    expect(resolveSearchParams({ nprobe: 3, k: undefined })).toEqual({ ...defaultSearchParams, nprobe: 3 });
  });

  it('names the bad parameter', () => {
    expect(() => resolveSearchParams({ nprobe: 0 })).toThrow(InvalidVqParameterError);
    expect(() => resolveSearchParams({ k: 2.5 })).toThrow(/k/);
    expect(() => resolveSearchParams({ maxCodes: -1 })).toThrow(/maxCodes/);
  });
});
