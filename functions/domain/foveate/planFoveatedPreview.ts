import { fullBox, layerRegions, sameBox } from './layerRegions.js';
import { baseLayerTiles, fullPpdTiles, ringLayerTiles } from './layerTiles.js';
import { ppdLadder } from './ppdLadder.js';
import { surfaceGeometry, type SurfaceGeometry } from './surfaceGeometry.js';
import type { DisplayProfile, FoveatePlan, PlannedLayer, PlannedProfile, PlanRequest } from './types.js';
import { usefulPpd } from './usefulPpd.js';
import { validatePlanRequest } from './validatePlanRequest.js';

type UnnamedLayer = Omit<PlannedLayer, 'name'>;

/**
 * The layers and tiles that carry, for each display profile, the pixels that
 * display and the eye can use and no more (docs/foveation.md). Pure: the
 * same request always gives the same plan; functions/domain/media executes it.
 */
export function planFoveatedPreview(request: PlanRequest): FoveatePlan {
  validatePlanRequest(request);
  const geometry = surfaceGeometry(request.surface, request.source.widthPx, request.source.heightPx);
  const named = new LayerNames();
  const planned = shareFullPpdTiles(
    request.profiles.map((profile) => planProfile(profile, geometry, request)),
    request.settings.tiles.shareWithinPpdRatio,
  );
  const profiles: PlannedProfile[] = planned.map(({ profile, layers }) => ({
    ...profile,
    layers: layers.map((layer) => named.add(layer)),
  }));
  return {
    source: { widthPx: request.source.widthPx, heightPx: request.source.heightPx },
    surface: request.surface,
    acuity: request.settings.acuity,
    layers: named.layers,
    profiles,
  };
}

function planProfile(profile: DisplayProfile, geometry: SurfaceGeometry, request: PlanRequest) {
  const { settings } = request;
  const { acuity, tiles, base, encoding } = settings;
  const full = fullBox(geometry);
  const degreesPerPx = geometry.degreesPerPxMax(full);
  const maxTexturePx = Math.min(profile.maxTextureSizePx, settings.maxTextureSizePx);
  const tileMaxPx = Math.max(16, Math.min(tiles.maxPx, maxTexturePx - 2 * tiles.overlapPx - 2));
  const baseMaxPixels = (base.maxBytes * 8) / base.worstCaseBitsPerPixel;
  const ladder = ppdLadder(
    {
      displayPpd: profile.ppd,
      sourcePpd: 1 / Math.max(degreesPerPx.x, degreesPerPx.y),
      farthestUsefulPpd: usefulPpd(geometry.maxEccentricityDeg(full), profile.ppd, acuity),
      baseBudgetPpd: Math.min(
        Math.sqrt(baseMaxPixels / (geometry.widthPx * degreesPerPx.x * geometry.heightPx * degreesPerPx.y)),
        maxTexturePx / (geometry.widthPx * degreesPerPx.x),
        maxTexturePx / (geometry.heightPx * degreesPerPx.y),
      ),
    },
    settings.ladder,
  );
  const regions = layerRegions(ladder, geometry, acuity);
  const layers: UnnamedLayer[] = [
    {
      role: 'base',
      ppd: ladder.basePpd,
      region: full,
      tiles: baseLayerTiles(ladder.basePpd, geometry),
      encodings: encoding.base,
      maxBytesPerFile: base.maxBytes,
    },
    ...regions.rings.map((ring): UnnamedLayer => ({
      role: 'ring',
      ppd: ring.ppd,
      region: ring.region,
      hole: ring.hole,
      tiles: ringLayerTiles(ring.ppd, ring.region, ring.hole, geometry, tileMaxPx, tiles.overlapPx),
      encodings: encoding.ring,
    })),
  ];
  if (ladder.topPpd > ladder.basePpd) {
    const { fovea } = regions;
    layers.push({
      role: 'tiles',
      ppd: ladder.topPpd,
      region: full,
      tiles: fullPpdTiles(ladder.topPpd, fovea, regions.foveaRadiusDeg, geometry, tileMaxPx, tiles.overlapPx).map((tile) => ({
        ...tile,
        inFirstView: tile.core.x0 >= fovea.x0 && tile.core.y0 >= fovea.y0 && tile.core.x1 <= fovea.x1 && tile.core.y1 <= fovea.y1,
      })),
      encodings: encoding.tiles,
      peripheralEffort: encoding.peripheralTileEffort,
    });
  }
  return {
    profile: { profile, topPpd: ladder.topPpd, foveaRadiusDeg: regions.foveaRadiusDeg, fovea: regions.fovea },
    layers,
    tileMaxPx,
  };
}

type ProfilePlan = ReturnType<typeof planProfile>;

/**
 * Full-PPD tiles are most of the pixels, so a profile whose tiles would be
 * only a little coarser than another's (at most `withinRatio` in PPD) uses
 * that finer layer instead of having its own rendered: more bytes for its
 * viewers, one layer fewer to encode. Only where the finer layer's grid has
 * the same fovea cuts and tile size, so the first view stays exactly the
 * fovea's tiles; the finest profiles keep their own.
 */
function shareFullPpdTiles(plans: readonly ProfilePlan[], withinRatio: number): ProfilePlan[] {
  const topLayer = (plan: ProfilePlan) => plan.layers.find((layer) => layer.role === 'tiles');
  const owners: ProfilePlan[] = [];
  const shared = new Map<ProfilePlan, ProfilePlan>();
  for (const plan of [...plans].sort((a, b) => b.profile.topPpd - a.profile.topPpd)) {
    const own = topLayer(plan);
    const finer = own
      ? owners
          .filter((owner) => {
            const layer = topLayer(owner);
            return (
              layer !== undefined &&
              layer.ppd > own.ppd &&
              layer.ppd <= own.ppd * withinRatio &&
              owner.tileMaxPx === plan.tileMaxPx &&
              sameBox(owner.profile.fovea, plan.profile.fovea)
            );
          })
          .sort((a, b) => a.profile.topPpd - b.profile.topPpd)[0]
      : undefined;
    if (!finer) {
      owners.push(plan);
      continue;
    }
    const layer = topLayer(finer)!;
    shared.set(plan, {
      ...plan,
      profile: { ...plan.profile, topPpd: layer.ppd },
      layers: plan.layers.map((candidate) => (candidate.role === 'tiles' ? layer : candidate)),
    });
  }
  return plans.map((plan) => shared.get(plan) ?? plan);
}

/** Names layers by role and PPD; identical layers (a ring two profiles share) get one name and are encoded once. */
class LayerNames {
  readonly layers: PlannedLayer[] = [];
  private readonly nameBySpec = new Map<string, string>();

  add(layer: UnnamedLayer): string {
    const spec = JSON.stringify(layer);
    const existing = this.nameBySpec.get(spec);
    if (existing) return existing;
    const stem = `${layer.role}-${Number(layer.ppd.toFixed(2))}ppd`;
    let name = stem;
    for (let suffix = 2; this.layers.some((other) => other.name === name); suffix += 1) name = `${stem}-${suffix}`;
    this.nameBySpec.set(spec, name);
    this.layers.push({ name, ...layer });
    return name;
  }
}
