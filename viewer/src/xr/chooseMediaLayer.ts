import type { FoveatedManifest, ManifestProfile } from '../../../functions/domain/foveate/index.js';
import { decodedTextureBytes } from '../foveated/decodedTextureBytes.js';

export interface MediaLayerPlan {
  /** A flat panel is a quad layer; an equirect surface (360°, a cropped panorama, a curved screen) an equirect layer. */
  kind: 'quad' | 'equirect';
  /** The layer's texture: the whole surface at the profile's full PPD. */
  widthPx: number;
  heightPx: number;
}

export interface MediaLayerSupport {
  quad: boolean;
  equirect: boolean;
}

/**
 * Whether an opened image goes into a WebXR composition layer, and its
 * size. A layer is sampled once, by the compositor, at the display's own
 * resolution through the lens distortion; drawing into the projection
 * layer first resamples the image twice. Its texture holds the whole
 * surface at the full PPD, so it is used only where that fits the GPU's
 * MAX_TEXTURE_SIZE and half the texture budget (the layers being composited
 * into it take the rest): a photo's 90° panel fits, a 360° panorama at
 * 25 PPD (9000 px around) does not and stays on the shader path, which
 * keeps only the tiles near the gaze. A cylinder layer is never needed:
 * the curved surface is equal-angle in both axes, which an equirect layer
 * shows exactly and a cylinder (linear in height) would not.
 */
export function chooseMediaLayer(
  manifest: FoveatedManifest,
  profile: ManifestProfile,
  support: MediaLayerSupport,
  limits: { maxTextureSizePx: number; textureBudgetBytes: number },
): MediaLayerPlan | undefined {
  const kind = manifest.surface.projection === 'flat' ? 'quad' : 'equirect';
  if (!support[kind]) return undefined;
  const finest = manifest.layers.find((layer) => layer.name === profile.layers.at(-1));
  if (!finest || finest.tiles.length === 0) return undefined;
  // Tiles differ in density (a flat panel's grow denser away from the centre, an equirect row's
  // thinner towards a pole): the layer takes the densest, so no tile loses a pixel in it.
  const widthPx = Math.round(Math.max(...finest.tiles.map((tile) => tile.widthPx / (tile.textureRect[2] - tile.textureRect[0]))));
  const heightPx = Math.round(Math.max(...finest.tiles.map((tile) => tile.heightPx / (tile.textureRect[3] - tile.textureRect[1]))));
  if (widthPx > limits.maxTextureSizePx || heightPx > limits.maxTextureSizePx) return undefined;
  if (decodedTextureBytes(widthPx, heightPx, false) > limits.textureBudgetBytes / 2) return undefined;
  return { kind, widthPx, heightPx };
}
