import {
  eccentricityWherePpdFallsTo,
  type FoveatedManifest,
  type ManifestLayer,
  type ManifestProfile,
  type ManifestTile,
} from '../../../functions/domain/foveate/index.js';
import { decodedTextureBytes } from './decodedTextureBytes.js';
import { rectDistanceDeg } from './rectDistanceDeg.js';
import type { Direction } from './surfaceDirection.js';

export interface GazeTile {
  layer: ManifestLayer;
  tile: ManifestTile;
  /** Index of the layer in the profile, coarse (0, the base) to fine: the paint order. */
  layerIndex: number;
  /** Nearest angle between the gaze and the tile. */
  distanceDeg: number;
  /**
   * Lower is fetched sooner: the base first, then the full-PPD tiles by
   * distance from the gaze, then the rings by distance (the periphery they
   * sharpen resolves little; where the user looks comes first).
   */
  priority: number;
}

export interface GazeTileOptions {
  /**
   * Widens every layer's radius: a tile already fetched or in flight stays
   * wanted until the gaze is this much farther away, so a small head
   * movement back and forth neither cancels nor refetches it.
   */
  hysteresisDeg?: number;
  /**
   * Decoded texture memory the selection may use (decodedTextureBytes of
   * each tile): tiles past it, in priority order, are left out, so the
   * viewer never fetches what it would have to release at once. The base is
   * always in.
   */
  maxDecodedBytes?: number;
  /**
   * The gaze comes from eye tracking, not the head: the planner's eye
   * margin (the fovea may be anywhere within it of the head direction) is
   * not needed, so every radius shrinks by it.
   */
  eyeTracked?: boolean;
  /**
   * The most pixels per degree of the surface the display shows (its PPD, times how much larger than
   * planned the surface is drawn): a layer is left out where the next coarser one already has that
   * many, so a panel shown small on a desktop fetches no full-PPD tiles until it is zoomed in.
   */
  displayPpd?: number;
}

/**
 * The tiles the eye can use while looking along `gaze` (a unit direction in
 * the item's frame), for one planned profile, in fetch order. The base covers
 * everything and always comes first. A ring of PPD p (the next coarser layer
 * q) is drawn where the eye wants more than q, within ρ(q) of the gaze
 * (eccentricityWherePpdFallsTo with the manifest's acuity); the full-PPD
 * tiles within the profile's fovea radius. Rings exist only where the planner
 * put them (around the initial head direction); elsewhere the full-PPD tiles
 * refine the base directly.
 */
export function selectGazeTiles(
  manifest: FoveatedManifest,
  profile: ManifestProfile,
  gaze: Direction,
  options: GazeTileOptions = {},
): GazeTile[] {
  const hysteresisDeg = options.hysteresisDeg ?? 0;
  const marginDeg = options.eyeTracked ? manifest.acuity.eyeMarginDeg : 0;
  const acuity = { ...manifest.acuity, eyeMarginDeg: manifest.acuity.eyeMarginDeg - marginDeg };
  const layers = profile.layers.map((name) => {
    const layer = manifest.layers.find((candidate) => candidate.name === name);
    if (!layer) throw new Error(`profile '${profile.id}' names a missing layer '${name}'`);
    return layer;
  });
  // Past every full-PPD tile's distance: rings queue behind the fovea.
  const ringsAfterDeg = 180;
  const selected: GazeTile[] = [];
  const displayPpd = options.displayPpd ?? Infinity;
  layers.forEach((layer, layerIndex) => {
    const coarser = layers[layerIndex - 1];
    if (coarser && coarser.ppd >= displayPpd) return;
    const radiusDeg =
      layer.role === 'base'
        ? Infinity
        : layer.role === 'tiles'
          ? Math.max(0, profile.foveaRadiusDeg - marginDeg)
          : eccentricityWherePpdFallsTo(coarser?.ppd ?? layer.ppd, acuity);
    for (const tile of layer.tiles) {
      const distanceDeg = layer.role === 'base' ? 0 : rectDistanceDeg(manifest.surface, tile.rect, gaze);
      if (distanceDeg > radiusDeg + hysteresisDeg) continue;
      const priority = layer.role === 'base' ? -1 : layer.role === 'tiles' ? distanceDeg : ringsAfterDeg + distanceDeg + layerIndex * 1e-3;
      selected.push({ layer, tile, layerIndex, distanceDeg, priority });
    }
  });
  selected.sort((a, b) => a.priority - b.priority);
  const budget = options.maxDecodedBytes ?? Infinity;
  let used = 0;
  return selected.filter(({ layer, tile }) => {
    used += decodedTextureBytes(tile.widthPx, tile.heightPx);
    return layer.role === 'base' || used <= budget;
  });
}
