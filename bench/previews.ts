/**
 * Foveated previews against the alternatives, for the Quest 3 profile and the
 * first view (looking at the centre), on real photos from opencv-doc made into
 * large (24-36 MP) mosaics and a 360° panorama here, never committed:
 *   (a) the original file,
 *   (b) a uniform PPD-matched image of the whole panel or panorama (same codec
 *       and quality as the tiles),
 *   (c) the foveated first view: base + rings + the full-PPD tiles of the fovea.
 * Quality is measured against the source resampled to the display's PPD:
 * SSIM weighted by the acuity model (weight = useful PPD / display PPD at each
 * point, eye margin included), and plain SSIM over the central 15°. CPU is
 * producing every layer vs a bare sharp decode + resize + encode of (b) (WebP
 * effort 2, the effort most tiles use, and 4, sharp's default), in
 * the same run, alternated. Last, on the large photos, what showing Quest 3's
 * full-PPD tiles costs Pico 4's first view (foveation.tiles.shareWithinPpdRatio).
 *
 *   npm run bench:previews [-- --reps 3]
 */
import sharp from 'sharp';
import { pipelineConfig } from '../functions/config/index.js';
import {
  buildFoveatedManifest,
  compositeLayers,
  displayProfile,
  firstViewTiles,
  foveatedFileKey,
  planFoveatedPreview,
  surfaceForImage,
  surfaceGeometry,
  usefulPpd,
  type AcuitySettings,
  type FoveatePlan,
  type PxBox,
} from '../functions/domain/foveate/index.js';
import { probeImage, renderFoveatedLayers, type SupportedImageMime } from '../functions/domain/media/index.js';
import { numberArg, stringArg } from './benchArgs.js';
import { crop, rawRgb, ssimMap, weightedSsim, type Rgb } from './imageQuality.js';
import { bareSharpUniform, cpuOf, peerEfforts, uniformPpdMatchedSize, type PeerEffort } from './previewReference.js';
import { loadRealPhotos, photoMosaic } from './realPhotos.js';

const reps = numberArg('reps', 3);
const settings = pipelineConfig.foveation;
const profile = displayProfile('quest-3');
const maxPixels = pipelineConfig.image.maxPixels;
const tileEncoding = settings.encoding.tiles[0];
const keyPrefix = 'items/00000000000000000000000000000000/preview/foveated/';

interface BenchImage {
  name: string;
  kind: 'large' | 'panorama' | 'small';
  mime: SupportedImageMime;
  bytes: Buffer;
}

// ---- Setup: large mosaics and a panorama from real photos ----

const gpano =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:GPano="http://ns.google.com/photos/1.0/panorama/" GPano:ProjectionType="equirectangular"/>' +
  '</rdf:RDF></x:xmpmeta>';

async function benchImages(): Promise<BenchImage[]> {
  const photos = loadRealPhotos();
  const jpeg = (pixels: Buffer) => sharp(pixels).jpeg({ quality: 92 }).toBuffer();
  const large = [
    { name: 'mosaic-24mp-a', w: 6000, h: 4000, cols: 4, rows: 4, offset: 0 },
    { name: 'mosaic-24mp-b', w: 6000, h: 4000, cols: 4, rows: 4, offset: 5 },
    { name: 'mosaic-24mp-c', w: 6000, h: 4000, cols: 3, rows: 3, offset: 9 },
    { name: 'mosaic-36mp', w: 7360, h: 4912, cols: 4, rows: 4, offset: 13 },
  ];
  const images: BenchImage[] = [];
  for (const spec of large) {
    images.push({
      name: spec.name,
      kind: 'large',
      mime: 'image/jpeg',
      bytes: await jpeg(await photoMosaic(photos, spec.w, spec.h, spec.cols, spec.rows, spec.offset)),
    });
  }
  const panorama = await photoMosaic(photos, 8192, 4096, 8, 4, 3);
  images.push({
    name: 'panorama-360-34mp',
    kind: 'panorama',
    mime: 'image/jpeg',
    bytes: await sharp(panorama).withXmp(gpano).jpeg({ quality: 92 }).toBuffer(),
  });
  for (const name of ['aloeL.jpg', 'ela_original.jpg']) {
    const photo = photos.find((candidate) => candidate.name === name);
    if (photo) images.push({ name, kind: 'small', mime: 'image/jpeg', bytes: photo.bytes });
  }
  return images;
}

// ---- Measurement helpers ----

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---- One image ----

interface ImageResult {
  image: BenchImage;
  ssimAreaWeightedGap: number;
  megapixels: number;
  originalBytes: number;
  uniformBytes: number;
  uniformThetaBytes: number;
  firstViewBytes: number;
  firstViewMegapixels: number;
  firstViewFiles: number;
  allLayerBytes: number;
  baseBytes: number[];
  ssimWeightedUniform: number;
  ssimWeightedFoveated: number;
  ssimWeightedNoMarginGap: number;
  centralSsimUniform: number;
  centralSsimFoveated: number;
  cpuOursMs: number;
  cpuBareMs: Record<PeerEffort, number>;
}

interface Prepared {
  image: BenchImage;
  plan: FoveatePlan;
  uniform: { widthPx: number; heightPx: number };
  files: Awaited<ReturnType<typeof renderFoveatedLayers>>;
  uniformFile: Buffer;
  cpuOursMs: number;
  cpuBareMs: Record<PeerEffort, number>;
}

/** Phase 1, before any quality work allocates: CPU of all layers vs bare sharp, alternated. */
async function time(image: BenchImage): Promise<Prepared> {
  const probe = await probeImage(image.bytes, image.mime, maxPixels);
  const surface = surfaceForImage(probe, settings);
  const plan: FoveatePlan = planFoveatedPreview({
    source: { widthPx: probe.widthPx, heightPx: probe.heightPx },
    surface,
    profiles: [profile],
    settings,
  });
  // (b): the whole surface at the top PPD's density at the view axis: what a uniform image must have.
  const uniform = uniformPpdMatchedSize(plan, 0);
  const bare = (effort: PeerEffort) => bareSharpUniform(image.bytes, uniform, tileEncoding.quality, maxPixels, effort);
  const ours = () => renderFoveatedLayers(image.bytes, image.mime, plan, { maxPixels, minQuality: settings.encoding.minQuality });

  const oursMs: number[] = [];
  const bareMs = Object.fromEntries(peerEfforts.map((effort) => [effort, [] as number[]])) as Record<PeerEffort, number[]>;
  let files: Awaited<ReturnType<typeof ours>> = [];
  let uniformFile: Buffer = Buffer.alloc(0);
  for (let rep = 0; rep < reps; rep += 1) {
    const measuredOurs = await cpuOf(ours);
    oursMs.push(measuredOurs.ms);
    files = measuredOurs.result;
    for (const effort of peerEfforts) {
      const measuredBare = await cpuOf(() => bare(effort));
      bareMs[effort].push(measuredBare.ms);
      // (b)'s bytes at the first view's own effort (the tiles it is compared with).
      if (effort === tileEncoding.effort) uniformFile = measuredBare.result;
    }
  }
  const cpuBareMs = Object.fromEntries(peerEfforts.map((effort) => [effort, median(bareMs[effort])])) as Record<PeerEffort, number>;
  return { image, plan, uniform, files, uniformFile, cpuOursMs: median(oursMs), cpuBareMs };
}

/** Phase 2: bytes and quality of what phase 1 produced. */
async function measure(prepared: Prepared): Promise<ImageResult> {
  const { image, plan, uniform, files, uniformFile } = prepared;
  const probe = await probeImage(image.bytes, image.mime, maxPixels);
  const surface = plan.surface;
  const geometry = surfaceGeometry(plan.surface, plan.source.widthPx, plan.source.heightPx);
  const top = plan.profiles[0]!;
  // The design's θ·PPD rule for a flat panel (equal angles), for comparison with (b).
  const thetaWidth = Math.round((surface.yawDeg[1] - surface.yawDeg[0]) * top.topPpd);
  const uniformTheta =
    surface.projection === 'flat'
      ? await sharp(image.bytes)
          .rotate()
          .resize(thetaWidth, Math.round((thetaWidth * probe.heightPx) / probe.widthPx), { fit: 'fill' })
          .webp({ quality: tileEncoding.quality, effort: tileEncoding.effort })
          .toBuffer()
      : uniformFile;

  const manifest = buildFoveatedManifest(
    plan,
    files.map((file) => ({ ...file, key: foveatedFileKey(keyPrefix, file), bytes: file.data.byteLength })),
  );
  const firstView = firstViewTiles(manifest, profile.id);
  const fileData = new Map(files.map((file) => [foveatedFileKey(keyPrefix, file), file.data]));
  const firstViewBytes = firstView.reduce((sum, { tile }) => sum + tile.files[0]!.bytes, 0);

  // Quality, on the display grid (b) lives on; the panorama on the window in front of the viewer.
  const window: PxBox =
    surface.projection === 'flat' ? { x0: 0, y0: 0, x1: uniform.widthPx, y1: uniform.heightPx } : windowOnGrid(geometry, uniform, 60, 45);
  const reference = crop(
    await rawRgb(sharp(image.bytes).rotate().resize(uniform.widthPx, uniform.heightPx, { fit: 'fill', kernel: 'lanczos3' })),
    window,
  );
  const uniformDecoded = crop(await rawRgb(sharp(uniformFile)), window);
  const textures = await Promise.all(
    firstView.map(async ({ tile }) => {
      const decoded = await rawRgb(sharp(fileData.get(tile.files[0]!.key)));
      return {
        rect: tile.rect,
        textureRect: tile.textureRect,
        widthPx: decoded.width,
        heightPx: decoded.height,
        channels: 3,
        pixels: decoded.data,
      };
    }),
  );
  const foveated = crop(
    { data: compositeLayers(textures, { ...uniform, channels: 3 }), width: uniform.widthPx, height: uniform.heightPx },
    window,
  );

  const weight = (acuity: AcuitySettings) => (x: number, y: number) => {
    const sourceX = ((window.x0 + x + 0.5) / uniform.widthPx) * plan.source.widthPx;
    const sourceY = ((window.y0 + y + 0.5) / uniform.heightPx) * plan.source.heightPx;
    return usefulPpd(geometry.eccentricityDegAt(sourceX, sourceY), profile.ppd, acuity) / profile.ppd;
  };
  const withMargin = weight(plan.acuity);
  const squared = (weightAt: (x: number, y: number) => number) => (x: number, y: number) => weightAt(x, y) ** 2;
  const noMargin = weight({ ...plan.acuity, eyeMarginDeg: 0 });
  const uniformMap = ssimMap(reference, uniformDecoded).ssim_map;
  const foveatedMap = ssimMap(reference, foveated).ssim_map;
  const windowOffset = 5; // ssim.js maps hold valid 11×11 windows: map (0,0) is centred on pixel (5,5).

  const central = centralBox(geometry, uniform, window, 7.5);
  const centralSsim = (test: Rgb) => ssimMap(crop(reference, central), crop(test, central)).mssim;

  return {
    image,
    megapixels: (probe.widthPx * probe.heightPx) / 1e6,
    originalBytes: image.bytes.length,
    uniformBytes: uniformFile.length,
    uniformThetaBytes: uniformTheta.length,
    firstViewBytes,
    firstViewMegapixels: firstView.reduce((sum, { tile }) => sum + tile.widthPx * tile.heightPx, 0) / 1e6,
    firstViewFiles: firstView.length,
    allLayerBytes: files.reduce((sum, file) => sum + (file.format === 'jpeg' ? 0 : file.data.byteLength), 0),
    baseBytes: files.filter((file) => file.layer.startsWith('base')).map((file) => file.data.byteLength),
    ssimWeightedUniform: weightedSsim(uniformMap, withMargin, windowOffset),
    ssimWeightedFoveated: weightedSsim(foveatedMap, withMargin, windowOffset),
    ssimWeightedNoMarginGap: weightedSsim(uniformMap, noMargin, windowOffset) - weightedSsim(foveatedMap, noMargin, windowOffset),
    centralSsimUniform: centralSsim(uniformDecoded),
    centralSsimFoveated: centralSsim(foveated),
    ssimAreaWeightedGap:
      weightedSsim(uniformMap, squared(withMargin), windowOffset) - weightedSsim(foveatedMap, squared(withMargin), windowOffset),
    cpuOursMs: prepared.cpuOursMs,
    cpuBareMs: prepared.cpuBareMs,
  };
}

/**
 * What sharing full-PPD tiles costs a profile that shows a finer profile's
 * (foveation.tiles.shareWithinPpdRatio): Pico 4's first-view bytes with
 * Quest 3's 25-PPD tiles, as planned together, over those with its own.
 */
async function sharedTilesCost(image: BenchImage): Promise<number> {
  const probe = await probeImage(image.bytes, image.mime, maxPixels);
  const request = { source: probe, surface: surfaceForImage(probe, settings), settings };
  const pico = displayProfile('pico-4');
  const firstViewBytes = async (plan: FoveatePlan) => {
    const planned = plan.profiles.find((candidate) => candidate.profile.id === pico.id)!;
    const layers = planned.layers.map((name) => {
      const layer = plan.layers.find((candidate) => candidate.name === name)!;
      return layer.role === 'tiles' ? { ...layer, tiles: layer.tiles.filter((tile) => tile.inFirstView) } : layer;
    });
    const files = await renderFoveatedLayers(
      image.bytes,
      image.mime,
      { ...plan, layers },
      { maxPixels, minQuality: settings.encoding.minQuality },
    );
    return files
      .filter((file) => file.format === layers.find((layer) => layer.name === file.layer)!.encodings[0]!.format)
      .reduce((sum, file) => sum + file.data.byteLength, 0);
  };
  const own = await firstViewBytes(planFoveatedPreview({ ...request, profiles: [pico] }));
  const shared = await firstViewBytes(planFoveatedPreview({ ...request, profiles: [profile, pico] }));
  return shared / own;
}

/** The box within ±yaw, ±pitch of the head direction, on the (b) grid (panoramas: where the weights matter). */
function windowOnGrid(
  geometry: ReturnType<typeof surfaceGeometry>,
  grid: { widthPx: number; heightPx: number },
  yawDeg: number,
  pitchDeg: number,
): PxBox {
  const toGrid = (value: number, sourceLength: number, gridLength: number) => Math.round((value / sourceLength) * gridLength);
  const degreesPerPxX = (geometry.surface.yawDeg[1] - geometry.surface.yawDeg[0]) / geometry.widthPx;
  const degreesPerPxY = (geometry.surface.pitchDeg[1] - geometry.surface.pitchDeg[0]) / geometry.heightPx;
  return {
    x0: Math.max(0, toGrid(geometry.axisPx.x - yawDeg / degreesPerPxX, geometry.widthPx, grid.widthPx)),
    x1: Math.min(grid.widthPx, toGrid(geometry.axisPx.x + yawDeg / degreesPerPxX, geometry.widthPx, grid.widthPx)),
    y0: Math.max(0, toGrid(geometry.axisPx.y - pitchDeg / degreesPerPxY, geometry.heightPx, grid.heightPx)),
    y1: Math.min(grid.heightPx, toGrid(geometry.axisPx.y + pitchDeg / degreesPerPxY, geometry.heightPx, grid.heightPx)),
  };
}

/** The central ±radius° box, on the (b) grid, relative to the measured window. */
function centralBox(
  geometry: ReturnType<typeof surfaceGeometry>,
  grid: { widthPx: number; heightPx: number },
  window: PxBox,
  radiusDeg: number,
): PxBox {
  const cap = geometry.capBox(radiusDeg);
  const scaleX = grid.widthPx / geometry.widthPx;
  const scaleY = grid.heightPx / geometry.heightPx;
  return {
    x0: Math.round(cap.x0 * scaleX) - window.x0,
    x1: Math.round(cap.x1 * scaleX) - window.x0,
    y0: Math.round(cap.y0 * scaleY) - window.y0,
    y1: Math.round(cap.y1 * scaleY) - window.y0,
  };
}

// ---- Run ----

const only = stringArg('only');
const images = (await benchImages()).filter((image) => !only || image.name.includes(only));
console.log(
  `${images.length} images (real photos from opencv-doc; large ones are mosaics upscaled ≤3×), Quest 3 (${profile.ppd} PPD), ` +
    `${settings.surfaces.panel.widthDeg}° flat panel, ${settings.acuity.eyeMarginDeg}° eye margin, ${reps} alternated CPU reps`,
);
console.log(
  'image                 MP   (a) orig   (b) unif  (c) first  c/b    c/a    c/b(θ·PPD)  SSIMw b / c        gap   gap(w²) gap(no margin) central b / c    1st MP  CPU ms ours / bare e2 (e4)',
);
const prepared: Prepared[] = [];
for (const image of images) prepared.push(await time(image));
const results: ImageResult[] = [];
for (const entry of prepared) {
  const result = await measure(entry);
  const image = entry.image;
  results.push(result);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`.padStart(9);
  console.log(
    [
      image.name.padEnd(20),
      result.megapixels.toFixed(1).padStart(4),
      kb(result.originalBytes),
      kb(result.uniformBytes),
      kb(result.firstViewBytes),
      (result.firstViewBytes / result.uniformBytes).toFixed(3).padStart(6),
      (result.firstViewBytes / result.originalBytes).toFixed(3).padStart(6),
      (result.firstViewBytes / result.uniformThetaBytes).toFixed(3).padStart(10),
      `${result.ssimWeightedUniform.toFixed(4)} / ${result.ssimWeightedFoveated.toFixed(4)}`,
      (result.ssimWeightedUniform - result.ssimWeightedFoveated).toFixed(4).padStart(7),
      result.ssimAreaWeightedGap.toFixed(4).padStart(8),
      result.ssimWeightedNoMarginGap.toFixed(4).padStart(8),
      `   ${result.centralSsimUniform.toFixed(4)} / ${result.centralSsimFoveated.toFixed(4)}`,
      result.firstViewMegapixels.toFixed(2).padStart(6),
      `${result.cpuOursMs.toFixed(0).padStart(6)} / ${result.cpuBareMs[2].toFixed(0).padStart(6)} = ${(result.cpuOursMs / result.cpuBareMs[2]).toFixed(2)} (${(result.cpuOursMs / result.cpuBareMs[4]).toFixed(2)})`,
    ].join('  '),
  );
}

const large = results.filter((result) => result.image.kind === 'large');
const sharingCost: number[] = [];
for (const result of large) sharingCost.push(await sharedTilesCost(result.image));
console.log(
  `Pico 4's first view with Quest 3's shared 25-PPD tiles ÷ with its own 20.6-PPD tiles: ${sharingCost.map((ratio) => ratio.toFixed(3)).join(', ')} (large photos)`,
);
const panorama = results.find((result) => result.image.kind === 'panorama')!;
const timed = results.filter((result) => result.image.kind !== 'small');
console.log(
  `first-view files: ${large.map((result) => result.firstViewFiles).join(', ')} (large), ${panorama.firstViewFiles} (panorama); ` +
    `all layers of the large photos (preferred formats) ${large.map((result) => `${(result.allLayerBytes / 1024).toFixed(0)} KB`).join(', ')}`,
);
console.log(
  'JSON: worst case over the large photos for ratios, gap and central SSIM; median per-image CPU ratio over large photos and the panorama.',
);
console.log(
  JSON.stringify({
    images: results.length,
    panel_deg: settings.surfaces.panel.widthDeg,
    eye_margin_deg: settings.acuity.eyeMarginDeg,
    first_view_bytes_ratio_vs_uniform: round(Math.max(...large.map((result) => result.firstViewBytes / result.uniformBytes))),
    first_view_bytes_ratio_vs_original: round(Math.max(...large.map((result) => result.firstViewBytes / result.originalBytes))),
    foveated_ssim_gap_vs_uniform: round(Math.max(...large.map((result) => result.ssimWeightedUniform - result.ssimWeightedFoveated)), 4),
    central_ssim: round(Math.min(...large.map((result) => result.centralSsimFoveated)), 4),
    base_layer_bytes_max: Math.max(...results.flatMap((result) => result.baseBytes)),
    pano_first_view_megapixels: round(panorama.firstViewMegapixels),
    cpu_ratio_vs_bare_sharp: round(median(timed.map((result) => result.cpuOursMs / result.cpuBareMs[2])), 2),
    cpu_ratio_vs_bare_sharp_effort4: round(median(timed.map((result) => result.cpuOursMs / result.cpuBareMs[4])), 2),
    pico_first_view_bytes_shared_vs_own: round(Math.max(...sharingCost)),
  }),
);
