import { pipelineConfig } from '../../config/index.js';
import {
  buildFoveatedManifest,
  displayProfile,
  foveatedFileKey,
  foveatedManifestSchemaVersion,
  mimeByFormat,
  planFoveatedPreview,
  surfaceForImage,
  type FoveatePlan,
  type FoveatedManifest,
  type StoredLayerFile,
} from '../../domain/foveate/index.js';
import { itemKeys, putJson, type FoveatedBaseRef, type FoveatedPreviewRef } from '../../domain/items/index.js';
import { probeImage, renderFoveatedLayers, type EncodedLayerFile, type SupportedImageMime } from '../../domain/media/index.js';
import { immutableCacheControl, previewPutConcurrency } from './constants.js';
import type { IngestDeps } from './types.js';

/** Plans and encodes the foveated layers of one image for the configured display profiles, in memory. */
export async function renderFoveatedPreview(
  deps: Pick<IngestDeps, 'limits' | 'foveation'>,
  bytes: Uint8Array,
  mime: SupportedImageMime,
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
  const files = await renderFoveatedLayers(bytes, mime, plan, { maxPixels: limits.maxPixels, minQuality: settings.encoding.minQuality });
  return { plan, files };
}

/** Renders the foveated layers of one image and stores them: writeFoveatedPreview's two steps in one. */
export async function writeFoveatedPreview(
  deps: Pick<IngestDeps, 'store' | 'limits' | 'foveation'>,
  itemId: string,
  bytes: Uint8Array,
  mime: SupportedImageMime,
): Promise<FoveatedPreviewRef> {
  return storeFoveatedPreview(deps, itemId, await renderFoveatedPreview(deps, bytes, mime));
}

/**
 * Stores rendered layers, then their layer manifest (items/<itemId>/preview/foveated.json),
 * and returns the item record's reference to it. The tiles are stored before the manifest that names them.
 */
export async function storeFoveatedPreview(
  deps: Pick<IngestDeps, 'store'>,
  itemId: string,
  { plan, files }: { plan: FoveatePlan; files: EncodedLayerFile[] },
): Promise<FoveatedPreviewRef> {
  const { store } = deps;

  const prefix = itemKeys.preview(itemId, 'foveated/');
  const stored: StoredLayerFile[] = files.map(({ layer, col, row, format, data }) => ({
    layer,
    col,
    row,
    format,
    key: foveatedFileKey(prefix, { layer, col, row, format }),
    bytes: data.byteLength,
  }));
  for (let start = 0; start < files.length; start += previewPutConcurrency) {
    await Promise.all(
      files.slice(start, start + previewPutConcurrency).map((file, offset) =>
        store.put(stored[start + offset]!.key, file.data, {
          contentType: mimeByFormat[file.format],
          cacheControl: immutableCacheControl,
        }),
      ),
    );
  }

  const manifest = buildFoveatedManifest(plan, stored);
  const key = itemKeys.preview(itemId, 'foveated.json');
  await putJson(store, key, manifest);
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
