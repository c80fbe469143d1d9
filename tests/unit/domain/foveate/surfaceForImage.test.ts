import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { surfaceForImage } from '../../../../functions/domain/foveate/index.js';

const settings = pipelineConfig.foveation;

describe('surfaceForImage', () => {
  it('puts a landscape photo on a 90°-wide flat panel, its height by the aspect (in tangents)', () => {
    const surface = surfaceForImage({ widthPx: 3000, heightPx: 2000 }, settings);
    expect(surface.projection).toBe('flat');
    expect(surface.yawDeg[1]).toBeCloseTo(45, 9);
    expect(Math.tan((surface.pitchDeg[1] * Math.PI) / 180)).toBeCloseTo(2 / 3, 9);
  });

  it('shrinks a tall portrait to the maximum height', () => {
    const surface = surfaceForImage({ widthPx: 1000, heightPx: 3000 }, settings);
    expect(surface.pitchDeg[1]).toBeCloseTo(45, 9);
    expect(surface.yawDeg[1]).toBeLessThan(20);
  });

  it('plans the theater screen as a curved (equal-angle) surface when configured', () => {
    const surface = surfaceForImage({ widthPx: 3840, heightPx: 1600 }, { ...settings, imageSurface: 'theater' });
    expect(surface).toEqual({ projection: 'equirect', name: 'theater', yawDeg: [-70, 70], pitchDeg: [-70 / 2.4, 70 / 2.4] });
    expect(() => surfaceForImage({ widthPx: 10, heightPx: 10 }, { ...settings, imageSurface: 'dome' })).toThrow(/imageSurface/);
  });
});
