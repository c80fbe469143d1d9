import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import { displayProfile, surfaceForImage } from '../../../../functions/domain/foveate/index.js';

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

  it('plans a photo too small to fill the panel smaller: two display pixels per source pixel at the first profile', () => {
    const plannedPpd = displayProfile(settings.profiles[0]).ppd;
    for (const [widthPx, heightPx] of [
      [451, 300],
      [300, 451],
      [1024, 768],
    ] as const) {
      const surface = surfaceForImage({ widthPx, heightPx }, settings);
      const halfWidthTan = Math.tan((surface.yawDeg[1] * Math.PI) / 180);
      // Source pixels per degree at the panel's centre: exactly half the finest display's.
      const sourcePpd = (widthPx / 2 / halfWidthTan) * (Math.PI / 180);
      expect(sourcePpd).toBeCloseTo(plannedPpd / settings.surfaces.panel.maxDisplayPxPerSourcePx, 6);
      expect(surface.yawDeg[1]).toBeLessThan(45);
      // The aspect holds (in tangents).
      expect(halfWidthTan / Math.tan((surface.pitchDeg[1] * Math.PI) / 180)).toBeCloseTo(widthPx / heightPx, 6);
    }
    // A photo with the pixels gets the whole panel; so does any photo when the rule is off.
    expect(surfaceForImage({ widthPx: 2400, heightPx: 1600 }, settings).yawDeg[1]).toBeCloseTo(45, 9);
    const off = { ...settings, surfaces: { ...settings.surfaces, panel: { kind: 'flat', widthDeg: 90, maxHeightDeg: 90 } as const } };
    expect(surfaceForImage({ widthPx: 451, heightPx: 300 }, off).yawDeg[1]).toBeCloseTo(45, 9);
  });

  it('plans the theater screen as a curved (equal-angle) surface when configured', () => {
    const surface = surfaceForImage({ widthPx: 3840, heightPx: 1600 }, { ...settings, imageSurface: 'theater' });
    expect(surface).toEqual({ projection: 'equirect', name: 'theater', yawDeg: [-70, 70], pitchDeg: [-70 / 2.4, 70 / 2.4] });
    expect(() => surfaceForImage({ widthPx: 10, heightPx: 10 }, { ...settings, imageSurface: 'dome' })).toThrow(/imageSurface/);
  });
});
