import {
  pickManifestProfile,
  type DisplayProfile,
  type FoveatedManifest,
  type ManifestProfile,
} from '../../../functions/domain/foveate/index.js';

/**
 * The planned profile to draw for this display: among the profiles whose
 * every texture fits the GPU's MAX_TEXTURE_SIZE, the finest the display's
 * PPD can show (pickManifestProfile). When none fits (a GPU below the
 * planner's assumed limit) the coarsest one is drawn; three.js then shrinks
 * any texture that is too large.
 */
export function chooseManifestProfile(
  manifest: FoveatedManifest,
  display: Pick<DisplayProfile, 'ppd' | 'maxTextureSizePx'>,
): ManifestProfile {
  const fits = manifest.profiles.filter((profile) =>
    profile.layers.every((name) => {
      const layer = manifest.layers.find((candidate) => candidate.name === name);
      return layer?.tiles.every((tile) => tile.widthPx <= display.maxTextureSizePx && tile.heightPx <= display.maxTextureSizePx) ?? false;
    }),
  );
  if (fits.length > 0) return pickManifestProfile({ ...manifest, profiles: fits }, display);
  return [...manifest.profiles].sort((a, b) => a.displayPpd - b.displayPpd)[0] ?? pickManifestProfile(manifest, display);
}
