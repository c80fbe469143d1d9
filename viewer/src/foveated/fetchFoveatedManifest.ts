import { foveatedManifestSchemaVersion, type FoveatedManifest } from '../../../functions/domain/foveate/index.js';
import type { FoveatedPreviewRef } from '../../../functions/domain/items/types.js';
import { ApiResponseError } from '../errors.js';
import { mediaUrl } from '../mediaUrl.js';
import { requestJson } from '../requestJson.js';

/** items/<id>/preview/foveated.json, checked for the schema version this viewer draws. */
export async function fetchFoveatedManifest(
  ref: FoveatedPreviewRef,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<FoveatedManifest> {
  const url = mediaUrl(ref.key);
  const manifest = (await requestJson(url, fetchImpl, { signal })) as Partial<FoveatedManifest> | null;
  if (!manifest || manifest.schemaVersion !== foveatedManifestSchemaVersion) {
    throw new ApiResponseError(
      url,
      200,
      `not a foveated manifest of schema version ${foveatedManifestSchemaVersion} (got ${JSON.stringify(manifest?.schemaVersion)})`,
    );
  }
  if (!manifest.surface || !Array.isArray(manifest.layers) || !Array.isArray(manifest.profiles) || manifest.profiles.length === 0) {
    throw new ApiResponseError(url, 200, 'the foveated manifest lacks its surface, layers or profiles');
  }
  return manifest as FoveatedManifest;
}
