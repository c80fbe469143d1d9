import { describe, expect, it } from 'vitest';
import { InvalidFoveateParameterError, measuredDisplayProfile } from '../../../../functions/domain/foveate/index.js';

/** A column-major WebXR projection matrix for a frustum given by its tangents. */
function projection(tanLeft: number, tanRight: number, tanBottom: number, tanTop: number): number[] {
  const near = 0.1;
  const far = 100;
  const m = new Array<number>(16).fill(0);
  m[0] = 2 / (tanRight - tanLeft);
  m[5] = 2 / (tanTop - tanBottom);
  m[8] = (tanRight + tanLeft) / (tanRight - tanLeft);
  m[9] = (tanTop + tanBottom) / (tanTop - tanBottom);
  m[10] = -(far + near) / (far - near);
  m[11] = -1;
  m[14] = (-2 * far * near) / (far - near);
  return m;
}

describe('measuredDisplayProfile', () => {
  it('computes field of view and centre PPD from a symmetric frustum', () => {
    const tan45 = 1;
    const profile = measuredDisplayProfile({
      projectionMatrix: projection(-tan45, tan45, -tan45, tan45),
      viewportWidthPx: 2000,
      viewportHeightPx: 2000,
      maxTextureSizePx: 8192,
    });
    expect(profile.fovDeg).toEqual({ horizontal: 90, vertical: 90 });
    // 2000 px over a tangent span of 2: 1000 px per radian at the axis.
    expect(profile.ppd).toBeCloseTo(1000 / (180 / Math.PI), 2);
    expect(profile.averagePpd).toBeCloseTo(2000 / 90, 2);
    expect(profile).toMatchObject({ origin: 'measured', maxTextureSizePx: 8192 });
  });

  it('handles the asymmetric frusta headsets report per eye', () => {
    const left = Math.tan((55 * Math.PI) / 180);
    const right = Math.tan((45 * Math.PI) / 180);
    const profile = measuredDisplayProfile({
      projectionMatrix: projection(-left, right, -1, 1),
      viewportWidthPx: 2064,
      viewportHeightPx: 2208,
      maxTextureSizePx: 4096,
    });
    expect(profile.fovDeg.horizontal).toBeCloseTo(100, 1);
    expect(profile.ppd).toBeCloseTo(2064 / (left + right) / (180 / Math.PI), 2);
  });

  it('rejects what is not a perspective projection', () => {
    expect(() =>
      measuredDisplayProfile({ projectionMatrix: [1, 2, 3], viewportWidthPx: 10, viewportHeightPx: 10, maxTextureSizePx: 4096 }),
    ).toThrow(InvalidFoveateParameterError);
    expect(() =>
      measuredDisplayProfile({
        projectionMatrix: projection(-1, 1, -1, 1),
        viewportWidthPx: 0,
        viewportHeightPx: 10,
        maxTextureSizePx: 4096,
      }),
    ).toThrow(/viewportWidthPx/);
  });
});
