import { beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  buildFoveatedManifest,
  displayProfile,
  firstViewTiles,
  foveatedFileKey,
  FoveateError,
  planFoveatedPreview,
  surfaceForImage,
  type FoveatedManifest,
  type FoveatePlan,
  type StoredLayerFile,
} from '../../../../functions/domain/foveate/index.js';
import { probeImage, renderFoveatedLayers } from '../../../../functions/domain/media/index.js';
import { foveatedManifestSchemaErrors } from '../../../helpers/foveatedManifestSchema.js';
import { makeJpeg } from '../../../helpers/testImages.js';

const settings = pipelineConfig.foveation;
const prefix = 'items/0123456789abcdef0123456789abcdef/preview/foveated/';

let plan: FoveatePlan;
let stored: StoredLayerFile[];
let manifest: FoveatedManifest;

beforeAll(async () => {
  const bytes = await makeJpeg(2400, 1600);
  const probe = await probeImage(bytes, 'image/jpeg', pipelineConfig.image.maxPixels);
  plan = planFoveatedPreview({
    source: { widthPx: probe.widthPx, heightPx: probe.heightPx },
    surface: surfaceForImage(probe, settings),
    profiles: ['quest-3', 'apple-vision-pro'].map((id) => displayProfile(id)),
    settings,
  });
  const files = await renderFoveatedLayers(bytes, 'image/jpeg', plan, { maxPixels: pipelineConfig.image.maxPixels, minQuality: 20 });
  stored = files.map((file) => ({ ...file, key: foveatedFileKey(prefix, file), bytes: file.data.byteLength }));
  manifest = buildFoveatedManifest(plan, stored);
});

// A loosely typed copy, so a test can corrupt any field of it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(manifest));

describe('buildFoveatedManifest', () => {
  it('produces a manifest the published JSON Schema accepts', () => {
    expect(foveatedManifestSchemaErrors(JSON.parse(JSON.stringify(manifest)))).toEqual([]);
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.profiles.map((profile) => profile.id)).toEqual(['quest-3', 'apple-vision-pro']);
  });

  it('is rejected by the schema when a field is missing, out of range, unknown, or of another version', () => {
    const noFiles = clone();
    delete noFiles.layers[0].tiles[0].files;
    expect(foveatedManifestSchemaErrors(noFiles).join('\n')).toMatch(/files/);
    const outside = clone();
    outside.layers[0].tiles[0].rect[2] = 1.5;
    expect(foveatedManifestSchemaErrors(outside).join('\n')).toMatch(/rect/);
    const extra = clone();
    extra.layers[0].surprise = true;
    expect(foveatedManifestSchemaErrors(extra).join('\n')).toMatch(/additional/);
    const future = clone();
    future.schemaVersion = 2;
    expect(foveatedManifestSchemaErrors(future).join('\n')).toMatch(/schemaVersion/);
  });

  it('lays tiles out statically as <layer>/<col>_<row>.<ext>, one key per file', () => {
    const keys = manifest.layers.flatMap((layer) => layer.tiles.flatMap((tile) => tile.files.map((file) => file.key)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(stored.length);
    for (const layer of manifest.layers) {
      for (const tile of layer.tiles) {
        for (const file of tile.files) {
          const extension = { webp: 'webp', avif: 'avif', jpeg: 'jpg' }[file.format];
          expect(file.key).toBe(`${prefix}${layer.name}/${tile.col}_${tile.row}.${extension}`);
          expect(file.bytes).toBe(stored.find((candidate) => candidate.key === file.key)!.bytes);
        }
        // The texture spans at least what the tile shows.
        expect(tile.textureRect[0]).toBeLessThanOrEqual(tile.rect[0]);
        expect(tile.textureRect[1]).toBeLessThanOrEqual(tile.rect[1]);
        expect(tile.textureRect[2]).toBeGreaterThanOrEqual(tile.rect[2]);
        expect(tile.textureRect[3]).toBeGreaterThanOrEqual(tile.rect[3]);
        expect(tile.yawDeg[0]).toBeLessThan(tile.yawDeg[1]);
        expect(tile.pitchDeg[0]).toBeLessThan(tile.pitchDeg[1]);
      }
    }
  });

  it('lists the base layer first for every profile and prefers AVIF there, with a JPEG fallback', () => {
    for (const profile of manifest.profiles) {
      const base = manifest.layers.find((layer) => layer.name === profile.layers[0])!;
      expect(base.role).toBe('base');
      expect(base.tiles[0]!.files.map((file) => file.mime)).toEqual(['image/avif', 'image/jpeg']);
      for (const file of base.tiles[0]!.files) expect(file.bytes).toBeLessThanOrEqual(settings.base.maxBytes);
    }
  });

  it('refuses to publish a manifest that names a file that was not stored', () => {
    expect(() => buildFoveatedManifest(plan, stored.slice(1))).toThrow(FoveateError);
  });
});

describe('firstViewTiles', () => {
  it('is the base, every ring, and exactly the full-PPD tiles covering the fovea', () => {
    for (const profile of manifest.profiles) {
      const selected = firstViewTiles(manifest, profile.id);
      const roles = selected.map(({ layer }) => layer.role);
      expect(roles[0]).toBe('base');
      expect(roles.indexOf('tiles')).toBeGreaterThan(roles.lastIndexOf('ring'));
      const rings = manifest.layers.filter((layer) => layer.role === 'ring' && profile.layers.includes(layer.name));
      expect(selected.filter(({ layer }) => layer.role === 'ring')).toHaveLength(rings.reduce((sum, layer) => sum + layer.tiles.length, 0));
      const area = ([left, top, right, bottom]: readonly number[]) => (right! - left!) * (bottom! - top!);
      const foveal = selected.filter(({ layer }) => layer.role === 'tiles');
      expect(foveal.reduce((sum, { tile }) => sum + area(tile.rect), 0)).toBeCloseTo(area(profile.foveaRect), 9);
      const allTiles = manifest.layers.find((layer) => layer.name === profile.layers[profile.layers.length - 1])!.tiles;
      expect(foveal.length).toBeLessThan(allTiles.length);
    }
  });

  it('names an unknown profile', () => {
    expect(() => firstViewTiles(manifest, 'pico-4')).toThrow(/pico-4/);
  });
});
