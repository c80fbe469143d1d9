import { FoveateError } from './errors.js';
import type { FoveatedManifest, ManifestLayer, ManifestTile } from './types.js';

export interface SelectedTile {
  layer: ManifestLayer;
  tile: ManifestTile;
}

/**
 * What a viewer fetches for its first view (looking at yaw 0, pitch 0), in
 * paint order: the base, then the rings, then the full-PPD tiles inside the
 * profile's fovea rect. Anything else is fetched when the gaze moves there.
 */
export function firstViewTiles(manifest: FoveatedManifest, profileId: string): SelectedTile[] {
  const profile = manifest.profiles.find((candidate) => candidate.id === profileId);
  if (!profile) throw new FoveateError(`the manifest has no layers for profile '${profileId}'`);
  const [left, top, right, bottom] = profile.foveaRect;
  return profile.layers.flatMap((name) => {
    const layer = manifest.layers.find((candidate) => candidate.name === name);
    if (!layer) throw new FoveateError(`profile '${profileId}' names a missing layer '${name}'`);
    const tiles =
      layer.role === 'tiles'
        ? layer.tiles.filter(({ rect }) => rect[0] >= left && rect[1] >= top && rect[2] <= right && rect[3] <= bottom)
        : layer.tiles;
    return tiles.map((tile) => ({ layer, tile }));
  });
}
