import pLimit from 'p-limit';
import sharp, { type Sharp } from 'sharp';
import type { EncodingSpec, FoveatePlan, ImageFormat, PlannedLayer, PlannedTile } from '../foveate/index.js';
import { decodeOrReject } from './decodeOrReject.js';
import { FoveatedEncodingError } from './errors.js';
import type { SupportedImageMime } from './sniffMediaType.js';

export interface FoveatedRenderOptions {
  /** sharp's limitInputPixels for the one decode. */
  maxPixels: number;
  /** A layer with a byte budget lowers its quality down to this before giving up. */
  minQuality: number;
  /** Tiles encoded at once; each also uses libvips' own threads. */
  concurrency?: number;
  /** Called with each tile's files as soon as they are encoded (first-view tiles first), so they can be stored meanwhile. */
  onTile?: (files: readonly EncodedLayerFile[]) => void;
}

export interface EncodedLayerFile {
  layer: string;
  col: number;
  row: number;
  format: ImageFormat;
  /** The quality actually used (lower than planned only where a byte budget required it). */
  quality: number;
  widthPx: number;
  heightPx: number;
  data: Buffer;
}

/**
 * Executes a foveation plan: decodes the source once, at full size
 * (auto-oriented, sRGB, 8-bit), and cuts and resamples every tile of every
 * layer from those pixels, each exactly once, in each of the layer's encodings.
 * (A shrunk decode buys nothing here: for an exact 1/2 target sharp decodes in
 * full and resamples, so tiles would be resampled twice.)
 */
export async function renderFoveatedLayers(
  bytes: Uint8Array,
  mime: SupportedImageMime,
  plan: FoveatePlan,
  options: FoveatedRenderOptions,
): Promise<EncodedLayerFile[]> {
  const decoded = await decodeOrReject(mime, options.maxPixels, () =>
    sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'warning' })
      .rotate()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  const { width, height, channels } = decoded.info;
  if (width !== plan.source.widthPx || height !== plan.source.heightPx) {
    throw new FoveatedEncodingError(
      `the plan is for a ${plan.source.widthPx}×${plan.source.heightPx} source, sharp decoded ${width}×${height}`,
    );
  }
  const raw = { raw: { width, height, channels } };
  const jobs = plan.layers.flatMap((layer) =>
    layer.tiles.map((tile) => ({
      run: async () => {
        const files = await renderTile(layer, tile);
        options.onTile?.(files);
        return files;
      },
      firstView: layer.role !== 'tiles' || tile.inFirstView !== false,
    })),
  );

  async function renderTile(layer: PlannedLayer, tile: PlannedTile): Promise<EncodedLayerFile[]> {
    const { source } = tile;
    // A fresh pipeline each time: sharp's clone() copies its whole input buffer (the decoded source).
    const resampled = () =>
      sharp(decoded.data, raw)
        .extract({ left: source.x0, top: source.y0, width: source.x1 - source.x0, height: source.y1 - source.y0 })
        .resize(tile.widthPx, tile.heightPx, { fit: 'fill', kernel: 'lanczos3' });
    // One resample shared by every encoding of the tile.
    const pixels = layer.encodings.length === 1 ? undefined : await resampled().raw().toBuffer({ resolveWithObject: true });
    const files: EncodedLayerFile[] = [];
    // Tiles beyond the first view arrive later: a cheaper effort costs them a few bytes and saves most of the encoding CPU.
    const peripheral = tile.inFirstView === false && layer.peripheralEffort !== undefined;
    for (const planned of layer.encodings) {
      const encoding = peripheral ? { ...planned, effort: layer.peripheralEffort } : planned;
      const image = () =>
        pixels
          ? sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } })
          : resampled();
      const { data, quality } = await encodeWithinBudget(image, encoding, layer.maxBytesPerFile, options.minQuality, layer.name);
      files.push({
        layer: layer.name,
        col: tile.col,
        row: tile.row,
        format: encoding.format,
        quality,
        widthPx: tile.widthPx,
        heightPx: tile.heightPx,
        data,
      });
    }
    return files;
  }

  // What the first view needs (base, rings, the fovea's tiles) is encoded first.
  const order = [...jobs.keys()].sort((a, b) => Number(jobs[b]!.firstView) - Number(jobs[a]!.firstView) || a - b);
  const results = await pLimit(options.concurrency ?? 4).map(order, (index) => jobs[index]!.run());
  const inPlanOrder: EncodedLayerFile[][] = new Array(jobs.length);
  order.forEach((index, position) => (inPlanOrder[index] = results[position]!));
  return inPlanOrder.flat();
}

/** Encodes at the planned quality; over budget, steps quality down (never the size) until it fits. */
async function encodeWithinBudget(
  image: () => Sharp,
  encoding: EncodingSpec,
  maxBytes: number | undefined,
  minQuality: number,
  layer: string,
): Promise<{ data: Buffer; quality: number }> {
  let quality = encoding.quality;
  for (;;) {
    const data = await encode(image(), encoding.format, quality, encoding.effort);
    if (maxBytes === undefined || data.byteLength <= maxBytes) return { data, quality };
    if (quality <= minQuality) {
      throw new FoveatedEncodingError(
        `layer ${layer} is ${data.byteLength} bytes as ${encoding.format} at quality ${quality}, over its ${maxBytes}-byte budget`,
      );
    }
    quality = Math.max(minQuality, Math.floor(quality * 0.8));
  }
}

function encode(image: Sharp, format: ImageFormat, quality: number, effort: number | undefined): Promise<Buffer> {
  const withEffort = effort === undefined ? {} : { effort };
  switch (format) {
    case 'webp':
      return image.webp({ quality, ...withEffort }).toBuffer();
    case 'avif':
      return image.avif({ quality, ...withEffort }).toBuffer();
    case 'jpeg':
      // JPEG has no alpha: flatten onto black rather than leave undefined colour under transparency.
      return image.flatten({ background: '#000000' }).jpeg({ quality }).toBuffer();
  }
}
