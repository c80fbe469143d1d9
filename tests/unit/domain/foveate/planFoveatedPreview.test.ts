import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  displayProfile,
  displayProfiles,
  InvalidFoveateParameterError,
  panelSurface,
  planFoveatedPreview,
  surfaceGeometry,
  usefulPpd,
  type DisplayProfile,
  type FoveatePlan,
  type FoveationSettings,
  type PlannedLayer,
  type PlanRequest,
  type PxBox,
  type SurfaceSpec,
} from '../../../../functions/domain/foveate/index.js';

const defaults: FoveationSettings = pipelineConfig.foveation;
const catalog = Object.values(displayProfiles) as DisplayProfile[];

const area = (box: PxBox) => Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
const inside = (inner: PxBox, outer: PxBox) => inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
const intersect = (a: PxBox, b: PxBox): PxBox => ({
  x0: Math.max(a.x0, b.x0),
  y0: Math.max(a.y0, b.y0),
  x1: Math.min(a.x1, b.x1),
  y1: Math.min(a.y1, b.y1),
});
const layerNamed = (plan: FoveatePlan, name: string) => plan.layers.find((layer) => layer.name === name)!;

// ---- Generators: arbitrary images, surfaces, profiles and tunables ----

const sizeArb = fc
  .record({ widthPx: fc.integer({ min: 16, max: 24_000 }), heightPx: fc.integer({ min: 16, max: 24_000 }) })
  .filter(({ widthPx, heightPx }) => widthPx * heightPx <= 120_000_000);

const measuredArb = fc.record({
  id: fc.constant('measured'),
  label: fc.constant('measured'),
  ppd: fc.double({ min: 5, max: 60, noNaN: true }),
  fovDeg: fc.constant({ horizontal: 100, vertical: 90 }),
  maxTextureSizePx: fc.constantFrom(1024, 2048, 4096, 8192, 16384),
  origin: fc.constant('measured' as const),
});
const profilesArb = fc.array(fc.oneof(fc.constantFrom(...catalog), measuredArb), { minLength: 1, maxLength: 3 });

const surfaceArb = (size: { widthPx: number; heightPx: number }): fc.Arbitrary<SurfaceSpec> =>
  fc.oneof(
    fc
      .record({ widthDeg: fc.double({ min: 20, max: 120, noNaN: true }), maxHeightDeg: fc.double({ min: 20, max: 120, noNaN: true }) })
      .map((panel) => panelSurface('panel', { kind: 'flat', ...panel }, size.widthPx / size.heightPx)),
    fc
      .record({ widthDeg: fc.double({ min: 30, max: 360, noNaN: true }), maxHeightDeg: fc.double({ min: 20, max: 180, noNaN: true }) })
      .map((panel) => panelSurface('theater', { kind: 'curved', ...panel }, size.widthPx / size.heightPx)),
    fc.constant<SurfaceSpec>({ projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] }),
    fc
      .record({
        yaw: fc.double({ min: 10, max: 180, noNaN: true }),
        top: fc.double({ min: -60, max: 90, noNaN: true }),
        span: fc.double({ min: 10, max: 150, noNaN: true }),
      })
      .map(({ yaw, top, span }): SurfaceSpec => ({
        projection: 'equirect',
        name: 'panorama',
        yawDeg: [-yaw, yaw],
        pitchDeg: [Math.max(-90, top - span), top],
      })),
  );

const settingsArb: fc.Arbitrary<FoveationSettings> = fc
  .record({
    eyeMarginDeg: fc.double({ min: 0, max: 30, noNaN: true }),
    marSlopeArcminPerDeg: fc.double({ min: 1.32, max: 1.65, noNaN: true }),
    maxPx: fc.integer({ min: 128, max: 2048 }),
    overlapPx: fc.integer({ min: 0, max: 4 }),
    shareWithinPpdRatio: fc.oneof(fc.constant(1), fc.double({ min: 1, max: 2, noNaN: true })),
    maxBytes: fc.integer({ min: 8 * 1024, max: 256 * 1024 }),
    maxTextureSizePx: fc.constantFrom(2048, 4096, 8192),
  })
  .map((knobs) => ({
    ...defaults,
    acuity: { ...defaults.acuity, eyeMarginDeg: knobs.eyeMarginDeg, marSlopeArcminPerDeg: knobs.marSlopeArcminPerDeg },
    tiles: { maxPx: knobs.maxPx, overlapPx: knobs.overlapPx, shareWithinPpdRatio: knobs.shareWithinPpdRatio },
    base: { ...defaults.base, maxBytes: knobs.maxBytes },
    maxTextureSizePx: knobs.maxTextureSizePx,
  }));

const requestArb: fc.Arbitrary<PlanRequest> = sizeArb.chain((source) =>
  fc.record({
    source: fc.constant(source),
    surface: surfaceArb(source),
    profiles: profilesArb,
    settings: settingsArb,
  }),
);

/**
 * Cells of the grid every box edge makes, counted where coverage is wrong:
 * inside the region and outside the hole exactly one core, elsewhere none.
 * Exact (integer pixel boxes) and linear in the grid size, not quadratic in tiles.
 */
function coverageErrors(cores: readonly PxBox[], region: PxBox, hole: PxBox): number {
  const boxes = [...cores, region, hole];
  const xs = [...new Set(boxes.flatMap((box) => [box.x0, box.x1]))].sort((a, b) => a - b);
  const ys = [...new Set(boxes.flatMap((box) => [box.y0, box.y1]))].sort((a, b) => a - b);
  const xIndex = new Map(xs.map((x, index) => [x, index]));
  const yIndex = new Map(ys.map((y, index) => [y, index]));
  const width = xs.length;
  const counts = new Int32Array((xs.length + 1) * (ys.length + 1));
  for (const core of cores) {
    const [i0, i1, j0, j1] = [xIndex.get(core.x0)!, xIndex.get(core.x1)!, yIndex.get(core.y0)!, yIndex.get(core.y1)!];
    counts[j0 * width + i0]! += 1;
    counts[j0 * width + i1]! -= 1;
    counts[j1 * width + i0]! -= 1;
    counts[j1 * width + i1]! += 1;
  }
  for (let j = 0; j < ys.length; j += 1) for (let i = 1; i < width; i += 1) counts[j * width + i]! += counts[j * width + i - 1]!;
  for (let j = 1; j < ys.length; j += 1) for (let i = 0; i < width; i += 1) counts[j * width + i]! += counts[(j - 1) * width + i]!;
  let errors = 0;
  for (let j = 0; j + 1 < ys.length; j += 1) {
    for (let i = 0; i + 1 < width; i += 1) {
      const x = (xs[i]! + xs[i + 1]!) / 2;
      const y = (ys[j]! + ys[j + 1]!) / 2;
      const within = (box: PxBox) => x > box.x0 && x < box.x1 && y > box.y0 && y < box.y1;
      const wanted = within(region) && !within(hole) ? 1 : 0;
      if (counts[j * width + i] !== wanted) errors += 1;
    }
  }
  return errors;
}

/** Profiles that use a layer: its PPD must respect every one of them. */
function usersOf(plan: FoveatePlan, layer: PlannedLayer) {
  return plan.profiles.filter((profile) => profile.layers.includes(layer.name));
}

const runs = { numRuns: 150 };

describe('planFoveatedPreview properties', () => {
  it('never plans a layer or tile above the display PPD (a shared one: above its finest user or the sharing ratio) or the source resolution', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planFoveatedPreview(request);
        const geometry = surfaceGeometry(plan.surface, plan.source.widthPx, plan.source.heightPx);
        for (const layer of plan.layers) {
          const userPpds = usersOf(plan, layer).map((profile) => profile.profile.ppd);
          const shareRatio = layer.role === 'tiles' ? request.settings.tiles.shareWithinPpdRatio : 1;
          const displayPpd = Math.min(Math.max(...userPpds), Math.min(...userPpds) * shareRatio);
          expect(layer.ppd).toBeLessThanOrEqual(displayPpd * (1 + 1e-9));
          for (const tile of layer.tiles) {
            const sourceWidth = tile.source.x1 - tile.source.x0;
            const sourceHeight = tile.source.y1 - tile.source.y0;
            // Never upsampled.
            expect(tile.widthPx).toBeLessThanOrEqual(sourceWidth);
            expect(tile.heightPx).toBeLessThanOrEqual(sourceHeight);
            // Angular density where the tile is densest in angle, per axis. A texture
            // cannot be thinner than one pixel: only a 1-px side may exceed (a sliver of a degree).
            const degreesPerPx = geometry.degreesPerPxMax(tile.core);
            if (tile.widthPx > 1) expect(tile.widthPx / sourceWidth / degreesPerPx.x).toBeLessThanOrEqual(layer.ppd * (1 + 1e-6));
            if (tile.heightPx > 1) expect(tile.heightPx / sourceHeight / degreesPerPx.y).toBeLessThanOrEqual(layer.ppd * (1 + 1e-6));
            if (tile.widthPx > 1 && tile.heightPx > 1) expect(tile.ppd).toBeLessThanOrEqual(displayPpd * (1 + 1e-6));
          }
        }
      }),
      runs,
    );
  });

  it('tiles cover their layer exactly: region less hole, no gaps, no overlaps, textures holding their cores', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planFoveatedPreview(request);
        for (const layer of plan.layers) {
          const hole = layer.hole ?? { x0: 0, y0: 0, x1: 0, y1: 0 };
          expect(
            coverageErrors(
              layer.tiles.map((tile) => tile.core),
              layer.region,
              hole,
            ),
          ).toBe(0);
          for (const tile of layer.tiles) {
            expect(area(tile.core)).toBeGreaterThan(0);
            expect(inside(tile.core, tile.source)).toBe(true);
          }
          // col_row names are unique within the layer.
          expect(new Set(layer.tiles.map((tile) => `${tile.col}_${tile.row}`)).size).toBe(layer.tiles.length);
        }
      }),
      runs,
    );
  });

  it('nests layers: base everywhere, each ring inside the coarser one around the next, the fovea innermost', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planFoveatedPreview(request);
        const full = { x0: 0, y0: 0, x1: plan.source.widthPx, y1: plan.source.heightPx };
        for (const profile of plan.profiles) {
          const layers = profile.layers.map((name) => layerNamed(plan, name));
          expect(layers[0]!.role).toBe('base');
          expect(layers[0]!.region).toEqual(full);
          const rings = layers.filter((layer) => layer.role === 'ring');
          let outer = full;
          for (const [index, ring] of rings.entries()) {
            expect(inside(ring.region, outer)).toBe(true);
            expect(inside(ring.hole!, ring.region)).toBe(true);
            expect(ring.ppd).toBeGreaterThan(index === 0 ? layers[0]!.ppd : rings[index - 1]!.ppd);
            outer = ring.hole!;
          }
          if (area(profile.fovea) > 0) expect(inside(profile.fovea, outer)).toBe(true);
          const top = layers[layers.length - 1]!;
          if (top.role === 'tiles') {
            expect(top.region).toEqual(full);
            expect(top.ppd).toBe(profile.topPpd);
            expect(profile.topPpd).toBeLessThanOrEqual(profile.profile.ppd * request.settings.tiles.shareWithinPpdRatio * (1 + 1e-9));
            // The first view's full-PPD tiles are exactly the fovea.
            const foveal = top.tiles.filter((tile) => inside(tile.core, profile.fovea));
            expect(foveal.reduce((sum, tile) => sum + area(tile.core), 0)).toBe(area(profile.fovea));
            for (const tile of top.tiles) {
              const overlap = area(intersect(tile.core, profile.fovea));
              expect(overlap === 0 || overlap === area(tile.core)).toBe(true);
            }
          }
        }
      }),
      runs,
    );
  });

  it('keeps the base layer within its byte budget and every texture within the texture limit', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planFoveatedPreview(request);
        const { base, maxTextureSizePx } = request.settings;
        for (const layer of plan.layers) {
          const limit = Math.min(maxTextureSizePx, ...usersOf(plan, layer).map((profile) => profile.profile.maxTextureSizePx));
          for (const tile of layer.tiles) {
            expect(tile.widthPx).toBeLessThanOrEqual(limit);
            expect(tile.heightPx).toBeLessThanOrEqual(limit);
            if (layer.role !== 'base') {
              // Core at most maxPx, plus the overlap on each side, each rounded up by under a pixel.
              expect(tile.widthPx).toBeLessThanOrEqual(request.settings.tiles.maxPx + 2 * request.settings.tiles.overlapPx + 2);
              expect(tile.heightPx).toBeLessThanOrEqual(request.settings.tiles.maxPx + 2 * request.settings.tiles.overlapPx + 2);
            }
          }
          if (layer.role === 'base') {
            expect(layer.tiles).toHaveLength(1);
            expect(layer.maxBytesPerFile).toBe(base.maxBytes);
            const [tile] = layer.tiles;
            expect((tile!.widthPx * tile!.heightPx * base.worstCaseBitsPerPixel) / 8).toBeLessThanOrEqual(base.maxBytes);
          }
        }
      }),
      runs,
    );
  });

  it('gives every point at least the PPD the eye can use there (up to the top PPD), unless the base budget was the limit', () => {
    fc.assert(
      fc.property(
        requestArb,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 20,
          maxLength: 20,
        }),
        (request, points) => {
          const plan = planFoveatedPreview(request);
          const geometry = surfaceGeometry(plan.surface, plan.source.widthPx, plan.source.heightPx);
          for (const profile of plan.profiles) {
            const layers = profile.layers.map((name) => layerNamed(plan, name));
            const base = layers[0]!;
            for (const [u, v] of points) {
              const x = Math.min(plan.source.widthPx - 1e-6, u * plan.source.widthPx);
              const y = Math.min(plan.source.heightPx - 1e-6, v * plan.source.heightPx);
              const finest = [...layers]
                .reverse()
                .flatMap((layer) =>
                  layer.tiles.filter((tile) => x >= tile.core.x0 && x < tile.core.x1 && y >= tile.core.y0 && y < tile.core.y1),
                )[0];
              expect(finest).toBeDefined();
              const need = Math.min(profile.topPpd, usefulPpd(geometry.eccentricityDegAt(x, y), profile.profile.ppd, plan.acuity));
              if (finest!.ppd >= need) continue;
              // Floor rounding may cost up to a pixel of the texture; the base may be budget-bound.
              const roundingSlack = 1 - 1.5 / Math.min(finest!.widthPx, finest!.heightPx);
              const baseIsBudgetBound = finest === base.tiles[0];
              expect(baseIsBudgetBound || finest!.ppd >= need * roundingSlack).toBe(true);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is deterministic and shares identical layers between profiles', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const plan = planFoveatedPreview(request);
        expect(planFoveatedPreview(request)).toEqual(plan);
        const specs = plan.layers.map(({ name: _name, ...spec }) => JSON.stringify(spec));
        expect(new Set(specs).size).toBe(specs.length);
        expect(new Set(plan.layers.map((layer) => layer.name)).size).toBe(plan.layers.length);
      }),
      { numRuns: 50 },
    );
  });

  it('never gives a profile fewer pixels per degree, anywhere, for planning it together with others', () => {
    // The finest PPD a profile's layers put at a source pixel: the tile whose core holds it.
    const ppdAt = (plan: FoveatePlan, profileIndex: number, x: number, y: number) =>
      Math.max(
        0,
        ...plan.profiles[profileIndex]!.layers.flatMap((name) =>
          layerNamed(plan, name)
            .tiles.filter(({ core }) => x >= core.x0 && x < core.x1 && y >= core.y0 && y < core.y1)
            .map((tile) => tile.ppd),
        ),
      );
    fc.assert(
      fc.property(
        requestArb,
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
            fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          ),
          { minLength: 8, maxLength: 8 },
        ),
        (request, points) => {
          const together = planFoveatedPreview(request);
          request.profiles.forEach((profile, index) => {
            const alone = planFoveatedPreview({ ...request, profiles: [profile] });
            for (const [u, v] of points) {
              const [x, y] = [Math.floor(u * request.source.widthPx), Math.floor(v * request.source.heightPx)];
              expect(ppdAt(together, index, x, y)).toBeGreaterThanOrEqual(ppdAt(alone, 0, x, y) * (1 - 1e-9));
            }
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('planFoveatedPreview examples', () => {
  const quest3 = displayProfile('quest-3');
  const plan = (widthPx: number, heightPx: number, surface: SurfaceSpec, profiles: DisplayProfile[] = [quest3]) =>
    planFoveatedPreview({ source: { widthPx, heightPx }, surface, profiles, settings: defaults });
  const panel = (aspect: number) => panelSurface('panel', defaults.surfaces.panel!, aspect);
  const sphere: SurfaceSpec = { projection: 'equirect', name: '360', yawDeg: [-180, 180], pitchDeg: [-90, 90] };
  const pixels = (layers: readonly { tiles: readonly { widthPx: number; heightPx: number }[] }[]) =>
    layers.reduce((sum, layer) => sum + layer.tiles.reduce((tiles, tile) => tiles + tile.widthPx * tile.heightPx, 0), 0);

  it('plans a 24 MP photo on a 90° panel for Quest 3 as base, rings at 4, 8, 16 PPD and 25-PPD tiles', () => {
    const planned = plan(6000, 4000, panel(1.5));
    const profile = planned.profiles[0]!;
    expect(profile.layers).toEqual(['base-2ppd', 'ring-4ppd', 'ring-8ppd', 'ring-16ppd', 'tiles-25ppd']);
    expect(profile.topPpd).toBe(25);
    // Fovea: the 15° margin plus where the eye still wants more than 16 PPD.
    expect(profile.foveaRadiusDeg).toBeCloseTo(15 + (60 / 16 - 1) / 1.32, 6);
  });

  it("shows Pico 4 (20.6 PPD) Quest 3's 25-PPD tiles rather than render its own, unless sharing is off", () => {
    const pico4 = displayProfile('pico-4');
    const shared = plan(6000, 4000, panel(1.5), [quest3, pico4]);
    expect(shared.profiles.map((profile) => profile.layers.at(-1))).toEqual(['tiles-25ppd', 'tiles-25ppd']);
    expect(shared.profiles[1]!.topPpd).toBe(25);
    const own = planFoveatedPreview({
      source: { widthPx: 6000, heightPx: 4000 },
      surface: panel(1.5),
      profiles: [quest3, pico4],
      settings: { ...defaults, tiles: { ...defaults.tiles, shareWithinPpdRatio: 1 } },
    });
    expect(own.profiles.map((profile) => profile.layers.at(-1))).toEqual(['tiles-25ppd', 'tiles-20.6ppd']);
    // Vision Pro's 44-PPD tiles are too much finer to stand in for Quest 3's.
    const withVisionPro = plan(6000, 4000, panel(1.5), [quest3, displayProfile('apple-vision-pro')]);
    expect(withVisionPro.profiles.map((profile) => profile.layers.at(-1))).toEqual(['tiles-25ppd', 'tiles-44ppd']);
  });

  it('caps the top layer at the source PPD for a small image (never upsampling)', () => {
    const planned = plan(800, 600, panel(4 / 3));
    const sourcePpd = 800 / (2 * Math.tan(Math.PI / 4)) / (180 / Math.PI);
    expect(planned.profiles[0]!.topPpd).toBeCloseTo(sourcePpd, 6);
  });

  it('keeps the first view of a 360° panorama for Quest 3 under 1.5 decoded megapixels (a uniform 25-PPD equirect is ~40 MP)', () => {
    const planned = plan(12_000, 6000, sphere);
    const profile = planned.profiles[0]!;
    expect(profile.topPpd).toBe(25);
    const firstView = profile.layers.map((name) => {
      const layer = planned.layers.find((candidate) => candidate.name === name)!;
      return layer.role === 'tiles' ? { tiles: layer.tiles.filter((tile) => inside(tile.core, profile.fovea)) } : layer;
    });
    expect(pixels(firstView)).toBeLessThan(1.5e6);
    expect(pixels(firstView)).toBeGreaterThan(0.5e6);
  });

  it('narrows full-PPD tiles towards the poles of a panorama by cos(pitch), where equirect rows oversample', () => {
    const planned = plan(12_000, 6000, sphere);
    const tiles = planned.layers.find((layer) => layer.role === 'tiles')!.tiles;
    const equatorRow = tiles.filter((tile) => tile.core.y0 <= 3000 && tile.core.y1 > 3000);
    const polarRow = tiles.filter((tile) => tile.core.y0 === 0);
    const rowCoreWidthPx = (row: typeof tiles) =>
      row.reduce((sum, tile) => sum + tile.widthPx * ((tile.core.x1 - tile.core.x0) / (tile.source.x1 - tile.source.x0)), 0);
    const nearestPitchDeg = 90 - (polarRow[0]!.core.y1 * 180) / 6000;
    expect(nearestPitchDeg).toBeGreaterThan(45);
    expect(rowCoreWidthPx(polarRow) / rowCoreWidthPx(equatorRow)).toBeCloseTo(Math.cos((nearestPitchDeg * Math.PI) / 180), 2);
    expect(polarRow.length).toBeLessThan(equatorRow.length);
  });

  it('splits full-PPD rows that grow past maxPx when a sliver cut is dropped (fast-check counterexample)', () => {
    const measured: DisplayProfile = {
      id: 'measured',
      label: 'measured',
      ppd: 9.962810727279221,
      fovDeg: { horizontal: 100, vertical: 90 },
      maxTextureSizePx: 1024,
      origin: 'measured',
    };
    const tunables: FoveationSettings = {
      ...defaults,
      acuity: { ...defaults.acuity, eyeMarginDeg: 29.373279666053758 },
      tiles: { ...defaults.tiles, maxPx: 128, overlapPx: 0 },
    };
    const planned = planFoveatedPreview({
      source: { widthPx: 424, heightPx: 746 },
      surface: panel(424 / 746),
      profiles: [measured],
      settings: tunables,
    });
    for (const tile of planned.layers.flatMap((layer) => (layer.role === 'base' ? [] : layer.tiles))) {
      expect(Math.max(tile.widthPx, tile.heightPx)).toBeLessThanOrEqual(128);
    }
  });

  it('names a bad argument the way sharp does', () => {
    expect(() => plan(0, 100, panel(1))).toThrow(InvalidFoveateParameterError);
    expect(() => plan(0, 100, panel(1))).toThrow('Expected a positive integer for source.widthPx but received 0');
    expect(() => plan(100, 100, panel(1), [])).toThrow(/at least one display profile/);
    expect(() => plan(100, 100, { ...sphere, pitchDeg: [-100, 90] })).toThrow(/surface\.pitchDeg/);
  });
});
