import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  displayProfile,
  displayProfiles,
  eccentricityWherePpdFallsTo,
  panelSurface,
  planFoveatedClip,
  surfaceForImage,
  surfaceGeometry,
  usefulPpd,
  type DisplayProfile,
  type PlanRequest,
  type PxBox,
  type SurfaceSpec,
} from '../../../../functions/domain/foveate/index.js';

const settings = pipelineConfig.foveation;
const defaultProfiles = settings.profiles.map((id) => displayProfile(id));

function request(
  widthPx: number,
  heightPx: number,
  surface?: SurfaceSpec,
  profiles: readonly DisplayProfile[] = defaultProfiles,
): PlanRequest {
  return { source: { widthPx, heightPx }, surface: surface ?? surfaceForImage({ widthPx, heightPx }, settings), profiles, settings };
}
const pixels = (stream: { widthPx: number; heightPx: number }) => stream.widthPx * stream.heightPx;
const boxWidth = (box: PxBox) => box.x1 - box.x0;
const boxHeight = (box: PxBox) => box.y1 - box.y0;

describe('planFoveatedClip', () => {
  it('plans 1080p on the 90° panel: the centre at the source PPD, the base at 8 PPD, under half the uniform pixels', () => {
    const plan = planFoveatedClip(request(1920, 1080));
    expect(plan.surface).toMatchObject({ projection: 'flat', name: 'panel' });
    // 1920 px over a 90° flat panel: 1/(2/1920 · 180/π) ≈ 16.76 PPD at the axis, below every headset.
    expect(plan.centre.ppd).toBeCloseTo(16.755, 2);
    expect(plan.uniform).toMatchObject({ widthPx: 1920, heightPx: 1080 });
    expect(plan.base.ppd).toBeCloseTo(8, 1);
    expect(plan.foveaRadiusDeg).toBeCloseTo(eccentricityWherePpdFallsTo(8, settings.acuity), 9);
    // The centre is not resampled (it is at the source's own density) and sits in the middle.
    expect([plan.centre.widthPx, plan.centre.heightPx]).toEqual([boxWidth(plan.centre.source), boxHeight(plan.centre.source)]);
    expect((plan.centre.source.x0 + plan.centre.source.x1) / 2).toBeCloseTo(960, -1);
    expect((pixels(plan.base) + pixels(plan.centre)) / pixels(plan.uniform)).toBeLessThan(0.5);
    // The base is flat under the centre: 916×514 at 8 PPD, the centre's 696 px square is 332 base px, less a margin, in macroblocks.
    expect(plan.base.hole).toEqual({ x0: 304, y0: 96, x1: 608, y1: 416 });
  });

  it('plans a 360° equirect video with a 2-PPD base and the centre out to where the eye wants more', () => {
    const plan = planFoveatedClip(request(3840, 1920));
    expect(plan.surface.name).toBe('360');
    expect(plan.base.ppd).toBeCloseTo(2, 1);
    expect(plan.centre.ppd).toBeCloseTo(3840 / 360, 2);
    expect((pixels(plan.base) + pixels(plan.centre)) / pixels(plan.uniform)).toBeLessThan(0.2);
  });

  it('keeps two streams for a source too coarse for any ladder level, and never upsamples it', () => {
    const plan = planFoveatedClip(request(64, 48));
    expect(plan.centre.widthPx).toBeLessThanOrEqual(boxWidth(plan.centre.source));
    expect(plan.base.ppd).toBeLessThan(plan.centre.ppd);
  });

  it('caps both streams at the texture limit of the most limited profile', () => {
    const small = { ...displayProfiles['apple-vision-pro'], id: 'small-gpu', maxTextureSizePx: 1024 };
    const plan = planFoveatedClip(request(4096, 2160, undefined, [small]));
    for (const stream of [plan.base, plan.centre, plan.uniform])
      expect(Math.max(stream.widthPx, stream.heightPx)).toBeLessThanOrEqual(1024);
  });

  it('holds its invariants for any size, surface and profile set', () => {
    const catalog = Object.values(displayProfiles) as DisplayProfile[];
    const cases = fc
      .record({
        widthPx: fc.integer({ min: 16, max: 8192 }),
        heightPx: fc.integer({ min: 16, max: 8192 }),
        surface: fc.constantFrom('panel', 'theater', 'sphere'),
        profiles: fc.subarray(catalog, { minLength: 1 }),
      })
      .map(({ widthPx, heightPx, surface, profiles }) => {
        const aspect = widthPx / heightPx;
        const spec: SurfaceSpec =
          surface === 'sphere'
            ? { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] }
            : panelSurface(surface, settings.surfaces[surface], aspect);
        return request(widthPx, heightPx, spec, profiles);
      });
    fc.assert(
      fc.property(cases, (planRequest) => {
        const plan = planFoveatedClip(planRequest);
        const { widthPx, heightPx } = planRequest.source;
        const displayPpd = Math.max(...planRequest.profiles.map((profile) => profile.ppd));
        const maxTexture = Math.min(settings.maxTextureSizePx, ...planRequest.profiles.map((profile) => profile.maxTextureSizePx));
        for (const stream of [plan.base, plan.centre, plan.uniform]) {
          // H.264 4:2:0: even sizes; never upsampled; within the texture limit and the display's PPD.
          expect(stream.widthPx % 2).toBe(0);
          expect(stream.heightPx % 2).toBe(0);
          expect(stream.widthPx).toBeLessThanOrEqual(Math.max(2, boxWidth(stream.source)));
          expect(Math.max(stream.widthPx, stream.heightPx)).toBeLessThanOrEqual(maxTexture);
          expect(stream.ppd).toBeLessThanOrEqual(displayPpd * (1 + 1e-9));
          expect(stream.source.x0).toBeGreaterThanOrEqual(0);
          expect(stream.source.x1).toBeLessThanOrEqual(widthPx);
          expect(stream.source.y1).toBeLessThanOrEqual(heightPx);
        }
        expect(plan.base.source).toEqual({ x0: 0, y0: 0, x1: widthPx, y1: heightPx });
        expect(plan.base.ppd).toBeLessThanOrEqual(plan.centre.ppd * (1 + 1e-9));
        // Outside the centre the eye resolves no more than the base carries: the cap of the fovea
        // radius lies inside the centre's box (up to the even-pixel rounding at the frame's odd edge).
        const geometry = surfaceGeometry(plan.surface, widthPx, heightPx);
        const cap = geometry.capBox(plan.foveaRadiusDeg);
        const centre = plan.centre.source;
        expect(centre.x0).toBeLessThanOrEqual(Math.max(0, cap.x0) + 1e-6);
        expect(centre.y0).toBeLessThanOrEqual(Math.max(0, cap.y0) + 1e-6);
        expect(centre.x1).toBeGreaterThanOrEqual(Math.min(widthPx - 1, cap.x1) - 1e-6);
        expect(centre.y1).toBeGreaterThanOrEqual(Math.min(heightPx - 1, cap.y1) - 1e-6);
        // The base's flat hole: whole macroblocks, and every base pixel within 4 of it (what filters reach) under the centre.
        expect(plan.centre.hole).toBeUndefined();
        const hole = plan.base.hole;
        if (hole) {
          for (const edge of [hole.x0, hole.y0, hole.x1, hole.y1]) expect(edge % 16).toBe(0);
          expect(hole.x1).toBeLessThanOrEqual(plan.base.widthPx);
          expect(hole.y1).toBeLessThanOrEqual(plan.base.heightPx);
          const [scaleX, scaleY] = [plan.base.widthPx / widthPx, plan.base.heightPx / heightPx];
          expect((hole.x0 - 4) / scaleX).toBeGreaterThanOrEqual(centre.x0 - 1e-6);
          expect((hole.y0 - 4) / scaleY).toBeGreaterThanOrEqual(centre.y0 - 1e-6);
          expect((hole.x1 + 4) / scaleX).toBeLessThanOrEqual(centre.x1 + 1e-6);
          expect((hole.y1 + 4) / scaleY).toBeLessThanOrEqual(centre.y1 + 1e-6);
        }
        // (The base's PPD is its nominal level less at most the rounding of its sides down to even pixels.)
        const rounding = 1 + 2 / Math.min(plan.base.widthPx, plan.base.heightPx);
        expect(usefulPpd(plan.foveaRadiusDeg + 1e-6, displayPpd, plan.acuity)).toBeLessThanOrEqual(plan.base.ppd * rounding + 1e-6);
      }),
      { numRuns: 300 },
    );
  });
});
