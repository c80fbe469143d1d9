import { extensionByFormat, foveatedManifestSchemaVersion, mimeByFormat } from './constants.js';
import { FoveateError } from './errors.js';
import { surfaceGeometry } from './surfaceGeometry.js';
import type { FoveatedManifest, FoveatePlan, ImageFormat, ManifestFile, NormalizedRect, PxBox } from './types.js';

/** One encoded file of a planned tile, as stored. */
export interface StoredLayerFile {
  layer: string;
  col: number;
  row: number;
  format: ImageFormat;
  key: string;
  bytes: number;
}

/**
 * Static, S3-friendly layout (IIIF level 0 / Deep Zoom style): every tile is
 * a plain object under the item's preview folder, named by layer, column and
 * row, so any static host serves it and its URL is known from the manifest.
 */
export function foveatedFileKey(prefix: string, file: Pick<StoredLayerFile, 'layer' | 'col' | 'row' | 'format'>): string {
  return `${prefix}${file.layer}/${file.col}_${file.row}.${extensionByFormat[file.format]}`;
}

/** The published manifest for a plan once its files are stored; every planned file must be there. */
export function buildFoveatedManifest(plan: FoveatePlan, files: readonly StoredLayerFile[]): FoveatedManifest {
  const { widthPx, heightPx } = plan.source;
  const geometry = surfaceGeometry(plan.surface, widthPx, heightPx);
  const rect = (box: PxBox): NormalizedRect => [
    round(box.x0 / widthPx, 7),
    round(box.y0 / heightPx, 7),
    round(box.x1 / widthPx, 7),
    round(box.y1 / heightPx, 7),
  ];
  const byTile = new Map<string, StoredLayerFile[]>();
  for (const file of files) {
    const id = `${file.layer}/${file.col}_${file.row}`;
    byTile.set(id, [...(byTile.get(id) ?? []), file]);
  }
  return {
    schemaVersion: foveatedManifestSchemaVersion,
    source: plan.source,
    surface: plan.surface,
    acuity: plan.acuity,
    layers: plan.layers.map((layer) => ({
      name: layer.name,
      role: layer.role,
      ppd: round(layer.ppd, 3),
      rect: rect(layer.region),
      ...(layer.hole ? { holeRect: rect(layer.hole) } : {}),
      tiles: layer.tiles.map((tile) => {
        const stored = byTile.get(`${layer.name}/${tile.col}_${tile.row}`) ?? [];
        const tileFiles: ManifestFile[] = layer.encodings.map((encoding) => {
          const file = stored.find((candidate) => candidate.format === encoding.format);
          if (!file) throw new FoveateError(`no stored ${encoding.format} file for ${layer.name} tile ${tile.col}_${tile.row}`);
          return { format: file.format, mime: mimeByFormat[file.format], key: file.key, bytes: file.bytes };
        });
        const angles = geometry.angularExtent(tile.core);
        return {
          col: tile.col,
          row: tile.row,
          rect: rect(tile.core),
          textureRect: rect(tile.source),
          widthPx: tile.widthPx,
          heightPx: tile.heightPx,
          ppd: round(tile.ppd, 3),
          yawDeg: [round(angles.yawDeg[0], 4), round(angles.yawDeg[1], 4)],
          pitchDeg: [round(angles.pitchDeg[0], 4), round(angles.pitchDeg[1], 4)],
          files: tileFiles,
        };
      }),
    })),
    profiles: plan.profiles.map((planned) => ({
      id: planned.profile.id,
      label: planned.profile.label,
      displayPpd: planned.profile.ppd,
      topPpd: round(planned.topPpd, 3),
      foveaRadiusDeg: round(planned.foveaRadiusDeg, 4),
      foveaRect: rect(planned.fovea),
      layers: planned.layers,
    })),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
