import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../../functions/config/index.js';
import {
  compositeLayers,
  displayProfile,
  planFoveatedPreview,
  surfaceForImage,
  type FoveatePlan,
  type FoveationSettings,
} from '../../../../functions/domain/foveate/index.js';
import { probeImage, renderFoveatedLayers, type SupportedImageMime } from '../../../../functions/domain/media/index.js';
import { makeEquirectJpeg } from '../../../helpers/panoramaImages.js';
import { makeJpeg } from '../../../helpers/testImages.js';

const settings: FoveationSettings = pipelineConfig.foveation;
const maxPixels = pipelineConfig.image.maxPixels;

async function planFor(bytes: Buffer, mime: SupportedImageMime, profileIds: readonly string[], tunables: FoveationSettings = settings) {
  const probe = await probeImage(bytes, mime, maxPixels);
  return planFoveatedPreview({
    source: { widthPx: probe.widthPx, heightPx: probe.heightPx },
    surface: surfaceForImage(probe, tunables),
    profiles: profileIds.map((id) => displayProfile(id)),
    settings: tunables,
  });
}

const plannedFiles = (plan: FoveatePlan) => plan.layers.reduce((sum, layer) => sum + layer.tiles.length * layer.encodings.length, 0);

describe('renderFoveatedLayers', () => {
  it('encodes every planned tile in every planned format, decoding to its planned size', async () => {
    const bytes = await makeJpeg(3000, 2000);
    const plan = await planFor(bytes, 'image/jpeg', ['quest-3', 'pico-4']);
    const files = await renderFoveatedLayers(bytes, 'image/jpeg', plan, { maxPixels, minQuality: 20 });
    expect(files).toHaveLength(plannedFiles(plan));
    expect(new Set(files.map((file) => file.format))).toEqual(new Set(['avif', 'jpeg', 'webp']));
    for (const file of files) {
      const layer = plan.layers.find((candidate) => candidate.name === file.layer)!;
      const tile = layer.tiles.find((candidate) => candidate.col === file.col && candidate.row === file.row)!;
      const decoded = await sharp(file.data).metadata();
      expect({ format: decoded.format, widthPx: decoded.width, heightPx: decoded.height }).toEqual({
        format: file.format === 'avif' ? 'heif' : file.format,
        widthPx: tile.widthPx,
        heightPx: tile.heightPx,
      });
      if (layer.maxBytesPerFile) expect(file.data.byteLength).toBeLessThanOrEqual(layer.maxBytesPerFile);
    }
  });

  it('renders a full-PPD layer two profiles share once: every file of the plan exactly once', async () => {
    const bytes = await makeJpeg(3000, 2000);
    const plan = await planFor(bytes, 'image/jpeg', ['quest-3', 'pico-4']);
    const [quest, pico] = plan.profiles;
    expect(pico!.layers.at(-1)).toBe(quest!.layers.at(-1));
    expect(plan.layers.filter((layer) => layer.role === 'tiles')).toHaveLength(1);
    const files = await renderFoveatedLayers(bytes, 'image/jpeg', plan, { maxPixels, minQuality: 20 });
    expect(new Set(files.map((file) => `${file.layer}/${file.col}_${file.row}.${file.format}`)).size).toBe(files.length);
    expect(files).toHaveLength(plannedFiles(plan));
  });

  it('encodes the full-PPD tiles outside the first view with their own effort, and the first view as planned', async () => {
    const photo = await makeEquirectJpeg(4000, 2000);
    const byEffort = async (peripheralTileEffort: number) => {
      const tunables: FoveationSettings = { ...settings, encoding: { ...settings.encoding, peripheralTileEffort } };
      const plan = await planFor(photo, 'image/jpeg', ['quest-3'], tunables);
      const files = await renderFoveatedLayers(photo, 'image/jpeg', plan, { maxPixels, minQuality: 20 });
      const tiles = plan.layers.find((layer) => layer.role === 'tiles')!;
      const bytesOf = (firstView: boolean) =>
        tiles.tiles
          .filter((tile) => tile.inFirstView === firstView)
          .map(
            (tile) => files.find((file) => file.layer === tiles.name && file.col === tile.col && file.row === tile.row)!.data.byteLength,
          );
      return { firstView: bytesOf(true), peripheral: bytesOf(false) };
    };
    const [fast, thorough] = [await byEffort(0), await byEffort(6)];
    expect(fast.firstView.length).toBeGreaterThan(0);
    expect(fast.peripheral.length).toBeGreaterThan(0);
    expect(fast.firstView).toEqual(thorough.firstView);
    expect(fast.peripheral).not.toEqual(thorough.peripheral);
  });

  it('keeps the base layer within its byte budget even for white noise, by lowering quality, never size', async () => {
    // Noise at the base layer's own scale (fine noise would average away when downsampled).
    const noise = await sharp(randomBytes(160 * 120 * 3), { raw: { width: 160, height: 120, channels: 3 } })
      .resize(1600, 1200, { kernel: 'nearest' })
      .png({ compressionLevel: 1 })
      .toBuffer();
    // High planned quality and a small budget: noise cannot fit without stepping quality down.
    const tight: FoveationSettings = {
      ...settings,
      base: { ...settings.base, maxBytes: 4 * 1024 },
      encoding: {
        ...settings.encoding,
        base: [
          { format: 'avif', quality: 90, effort: 2 },
          { format: 'jpeg', quality: 95 },
        ],
      },
    };
    const plan = await planFor(noise, 'image/png', ['quest-3'], tight);
    const baseLayer = plan.layers.find((layer) => layer.role === 'base')!;
    const onlyBase: FoveatePlan = { ...plan, layers: [baseLayer] };
    const files = await renderFoveatedLayers(noise, 'image/png', onlyBase, { maxPixels, minQuality: tight.encoding.minQuality });
    expect(files.map((file) => file.format)).toEqual(['avif', 'jpeg']);
    for (const file of files) {
      expect(file.data.byteLength).toBeLessThanOrEqual(4 * 1024);
      expect(file.quality).toBeLessThan(tight.encoding.base.find((spec) => spec.format === file.format)!.quality);
      expect(file.quality).toBeGreaterThanOrEqual(tight.encoding.minQuality);
      const decoded = await sharp(file.data).metadata();
      expect([decoded.width, decoded.height]).toEqual([baseLayer.tiles[0]!.widthPx, baseLayer.tiles[0]!.heightPx]);
    }
  });

  it('flattens transparency for the JPEG fallback and keeps it for WebP and AVIF', async () => {
    const withAlpha = await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const plan = await planFor(withAlpha, 'image/png', ['quest-3']);
    const files = await renderFoveatedLayers(withAlpha, 'image/png', plan, { maxPixels, minQuality: 20 });
    for (const file of files) {
      const decoded = await sharp(file.data).metadata();
      expect(decoded.hasAlpha).toBe(file.format !== 'jpeg');
    }
  });

  it('cuts a 360° panorama into full-PPD tiles that stitch back to the resampled source within codec error', async () => {
    const bytes = await makeEquirectJpeg(4096, 2048);
    const probe = await probeImage(bytes, 'image/jpeg', maxPixels);
    expect(surfaceForImage(probe, settings)).toMatchObject({ projection: 'equirect', name: '360' });
    const plan = await planFor(bytes, 'image/jpeg', ['quest-3']);
    const tilesLayer = plan.layers.find((layer) => layer.role === 'tiles')!;
    const onlyTiles: FoveatePlan = { ...plan, layers: [tilesLayer] };
    const files = await renderFoveatedLayers(bytes, 'image/jpeg', onlyTiles, { maxPixels, minQuality: 20 });
    expect(files).toHaveLength(tilesLayer.tiles.length);

    const { widthPx, heightPx } = plan.source;
    const textures = await Promise.all(
      tilesLayer.tiles.map(async (tile) => {
        const file = files.find((candidate) => candidate.col === tile.col && candidate.row === tile.row)!;
        const decoded = await sharp(file.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const normalize = (box: typeof tile.core) => [box.x0 / widthPx, box.y0 / heightPx, box.x1 / widthPx, box.y1 / heightPx] as const;
        return {
          rect: normalize(tile.core),
          textureRect: normalize(tile.source),
          widthPx: decoded.info.width,
          heightPx: decoded.info.height,
          channels: 3,
          pixels: decoded.data,
        };
      }),
    );
    // Compare at a quarter of the source: what every band holds, poles included.
    const size = { widthPx: 1024, heightPx: 512, channels: 3 };
    const stitched = compositeLayers(textures, size);
    const reference = await sharp(bytes).resize(size.widthPx, size.heightPx, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    const errors = Array.from(stitched, (value, index) => Math.abs(value - reference[index]!)).sort((a, b) => a - b);
    const mean = errors.reduce((sum, value) => sum + value, 0) / errors.length;
    expect(mean).toBeLessThan(1.5);
    expect(errors[Math.floor(errors.length * 0.999)]!).toBeLessThan(12);
    // A misplaced tile would not hide: one tile's shift by its own width is a gross error.
    const shifted = compositeLayers(
      textures.map((texture, index) =>
        index === 0 ? { ...texture, rect: textures[1]!.rect, textureRect: textures[1]!.textureRect } : texture,
      ),
      size,
    );
    expect(
      Array.from(shifted, (value, index) => Math.abs(value - reference[index]!)).reduce((sum, value) => sum + value, 0) / errors.length,
    ).toBeGreaterThan(mean + 0.2);
  });
});
