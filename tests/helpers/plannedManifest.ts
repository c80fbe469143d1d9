import { pipelineConfig } from '../../functions/config/index.js';
import {
  buildFoveatedManifest,
  displayProfile,
  foveatedFileKey,
  planFoveatedPreview,
  surfaceForImage,
  type FoveatedManifest,
  type FoveatePlan,
} from '../../functions/domain/foveate/index.js';

const prefix = 'items/0123456789abcdef0123456789abcdef/preview/foveated/';

/**
 * The foveated manifest the planner makes for an image of this size (a 2:1
 * image is a 360° panorama), without encoding anything: every file is
 * named as ingest would name it, with a nominal size. For tests of what a
 * viewer selects from a manifest.
 */
export function plannedManifest(
  widthPx: number,
  heightPx: number,
  profiles: readonly string[] = ['quest-3', 'apple-vision-pro'],
): { plan: FoveatePlan; manifest: FoveatedManifest } {
  const settings = pipelineConfig.foveation;
  const plan = planFoveatedPreview({
    source: { widthPx, heightPx },
    surface: surfaceForImage({ widthPx, heightPx }, settings),
    profiles: profiles.map((id) => displayProfile(id)),
    settings,
  });
  const stored = plan.layers.flatMap((layer) =>
    layer.tiles.flatMap((tile) =>
      layer.encodings.map(({ format }) => {
        const file = { layer: layer.name, col: tile.col, row: tile.row, format };
        return { ...file, key: foveatedFileKey(prefix, file), bytes: tile.widthPx * tile.heightPx };
      }),
    ),
  );
  return { plan, manifest: buildFoveatedManifest(plan, stored) };
}
