import { Matrix4, PerspectiveCamera } from 'three';
import { describe, expect, it } from 'vitest';
import { measureDisplay } from '../../../viewer/src/foveated/measureDisplay.js';
import { chooseFramebufferScale } from '../../../viewer/src/xr/chooseFramebufferScale.js';

/** An XRView-style projection matrix for an (asymmetric) frustum given by its tangents. */
function frustum(tanLeft: number, tanRight: number, tanBottom: number, tanTop: number): number[] {
  const near = 0.1;
  return new Matrix4().makePerspective(tanLeft * near, tanRight * near, tanTop * near, tanBottom * near, near, 100).elements;
}

describe('measureDisplay', () => {
  it('gives the centre PPD from a projection matrix and the viewport in the framebuffer', () => {
    // A Quest-3-like eye: 2064 px across a horizontal tangent span of 1.44 (asymmetric, nose side narrower).
    const views = [
      { projectionMatrix: frustum(-0.84, 0.6, -0.8, 0.75), viewportWidthPx: 2064, viewportHeightPx: 2208 },
      { projectionMatrix: frustum(-0.6, 0.84, -0.8, 0.75), viewportWidthPx: 2064, viewportHeightPx: 2208 },
    ];
    const display = measureDisplay(views, 8192);
    // Pixels per radian at the axis = width / tangent span; per degree divide by 57.3.
    expect(display.ppd).toBeCloseTo(2064 / 1.44 / (180 / Math.PI), 1);
    expect(display.ppd).toBeGreaterThan(24.9);
    expect(display.maxTextureSizePx).toBe(8192);
    expect(display.fovDeg.horizontal).toBeCloseTo((Math.atan(0.84) + Math.atan(0.6)) * (180 / Math.PI), 1);
  });

  it('scales to the native framebuffer: a framebuffer at half the native scale shows half the PPD the display has', () => {
    const views = [{ projectionMatrix: frustum(-1, 1, -1, 1), viewportWidthPx: 1000, viewportHeightPx: 1000 }];
    const rendered = measureDisplay(views, 4096);
    const native = measureDisplay(views, 4096, { framebufferScale: 0.5, nativeScale: 1 });
    expect(native.ppd).toBeCloseTo(rendered.ppd * 2, 1);
  });

  it('measures a desktop camera the same way, from its field of view and the canvas size', () => {
    const camera = new PerspectiveCamera(60, 1280 / 720, 0.05, 100);
    const display = measureDisplay(
      [{ projectionMatrix: camera.projectionMatrix.elements, viewportWidthPx: 1280, viewportHeightPx: 720 }],
      16384,
    );
    // The vertical half-angle is 30°: 720 px over 2·tan(30°) of tangent.
    expect(display.ppd).toBeCloseTo(720 / (2 * Math.tan(Math.PI / 6)) / (180 / Math.PI), 1);
    expect(() =>
      measureDisplay([{ projectionMatrix: camera.projectionMatrix.elements, viewportWidthPx: 0, viewportHeightPx: 0 }], 4096),
    ).toThrow(/no view/);
  });
});

describe('chooseFramebufferScale', () => {
  it('asks for the native scale, capped, and for 1 where the browser reports none', () => {
    expect(chooseFramebufferScale(1.37, 1.5)).toBe(1.37);
    expect(chooseFramebufferScale(2.2, 1.5)).toBe(1.5);
    expect(chooseFramebufferScale(0, 1.5)).toBe(1);
    expect(chooseFramebufferScale(undefined, 1.5)).toBe(1);
  });
});
