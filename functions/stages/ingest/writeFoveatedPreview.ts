import { pipelineConfig } from '../../config/index.js';
import {
  buildFoveatedManifest,
  displayProfile,
  foveatedManifestSchemaVersion,
  planFoveatedPreview,
  surfaceForImage,
  type FoveatePlan,
  type FoveatedManifest,
  type StoredLayerFile,
} from '../../domain/foveate/index.js';
import { itemKeys, putJson, type FoveatedBaseRef, type FoveatedPreviewRef } from '../../domain/items/index.js';
import { probeImage, renderFoveatedLayers, type EncodedLayerFile, type SupportedImageMime } from '../../domain/media/index.js';
import { layerFileUploads } from './layerFileUploads.js';
import type { IngestDeps } from './types.js';

/**
 * Plans and encodes the foveated layers of one image for the configured display profiles, in memory;
 * `onTile` gets each tile's files as they are encoded.
 */
export async function renderFoveatedPreview(
  deps: Pick<IngestDeps, 'limits' | 'foveation'>,
  bytes: Uint8Array,
  mime: SupportedImageMime,
  onTile?: (files: readonly EncodedLayerFile[]) => void,
): Promise<{ plan: FoveatePlan; files: EncodedLayerFile[] }> {
  const { limits } = deps;
  const settings = deps.foveation ?? pipelineConfig.foveation;
  const probe = await probeImage(bytes, mime, limits.maxPixels);
  const plan = planFoveatedPreview({
    source: { widthPx: probe.widthPx, heightPx: probe.heightPx },
    surface: surfaceForImage(probe, settings),
    profiles: settings.profiles.map((id) => displayProfile(id)),
    settings,
  });
  const files = await renderFoveatedLayers(bytes, mime, plan, {
    maxPixels: limits.maxPixels,
    minQuality: settings.encoding.minQuality,
    onTile,
  });
  return { plan, files };
}

/** Renders the foveated layers of one image and stores each file as it is encoded, then their layer manifest. */
export async function writeFoveatedPreview(
  deps: Pick<IngestDeps, 'store' | 'limits' | 'foveation'>,
  itemId: string,
  bytes: Uint8Array,
  mime: SupportedImageMime,
): Promise<FoveatedPreviewRef> {
  const uploads = layerFileUploads(deps.store, itemId);
  uploads.release();
  const { plan } = await renderFoveatedPreview(deps, bytes, mime, uploads.add);
  return storeFoveatedManifest(deps, itemId, plan, await uploads.finished());
}

/**
 * Stores the layer manifest (items/<itemId>/preview/foveated.json) of layer files already stored,
 * and returns the item record's reference to it.
 */
export async function storeFoveatedManifest(
  deps: Pick<IngestDeps, 'store'>,
  itemId: string,
  plan: FoveatePlan,
  stored: readonly StoredLayerFile[],
): Promise<FoveatedPreviewRef> {
  const manifest = buildFoveatedManifest(plan, stored);
  const key = itemKeys.preview(itemId, 'foveated.json');
  await putJson(deps.store, key, manifest);
  return {
    schemaVersion: foveatedManifestSchemaVersion,
    key,
    bytes: Buffer.byteLength(`${JSON.stringify(manifest, null, 2)}\n`),
    projection: plan.surface.projection,
    surface: plan.surface.name,
    profiles: plan.profiles.map((planned) => planned.profile.id),
    base: baseRef(manifest),
  };
}

/** The first profile's base layer (profiles share the ladder, so usually every profile's). */
function baseRef(manifest: FoveatedManifest): FoveatedBaseRef {
  const name = manifest.profiles[0]?.layers[0];
  const layer = manifest.layers.find((candidate) => candidate.name === name && candidate.role === 'base');
  const tile = layer?.tiles[0];
  if (!layer || !tile) throw new Error(`the foveated manifest has no base layer for its first profile (${name ?? 'none'})`);
  return {
    layer: layer.name,
    widthPx: tile.widthPx,
    heightPx: tile.heightPx,
    ppd: layer.ppd,
    files: tile.files.map((file) => ({ ...file })),
  };
}
