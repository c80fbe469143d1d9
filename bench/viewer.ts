/**
 * The viewer as a headset user meets it, on localhost with the network
 * throttled to 20 Mbps and 100 ms round trips (Chrome DevTools Protocol),
 * in headless Chromium with an emulated Quest 3 (IWER: two 600×600 eyes at
 * 26 PPD, so the viewer measures Quest-3 PPD and draws the quest-3 layers).
 * Mosaics of real photos from opencv-doc (24 and 36 MP, as bench:previews
 * makes them) and a 34 MP 360° panorama go through the local pipeline; then, for each, the item is opened from the
 * gallery (as a select on its panel does) and timed with the viewer's own
 * performance marks: 'viewer:open' → 'viewer:first-pixel' (the first frame
 * drawn with the item's pixels) → 'viewer:foveal-sharp' (every full-PPD tile
 * the gaze needs is drawn). Bytes are what crossed the network for the item
 * until then, against the reference measured from the same item's manifest:
 * its whole full-PPD layer at the same PPD ("full_res_bytes", what a
 * non-foveated viewer of the same sharpness fetches). The panorama is then
 * looked around (8 head poses) to find the most decoded texture memory.
 * WebGL errors are counted from the console. Rendering is software
 * (SwiftShader) on a shared machine: times include that, and
 * main_thread_long_task_fraction says how much of the run the page's main
 * thread spent in tasks over 50 ms (mostly drawing XR frames); the mean XR
 * frame interval with each item open is set against the gallery's, measured
 * in the same run. Each of `--repeats` sessions (default 3) loads the page
 * afresh, enters XR and opens every item once (no HTTP cache, nothing kept
 * from the last session); the table gives each timing's median and range
 * over the sessions, the JSON line the medians and the ranges.
 *
 *   npm run bench:viewer [-- --layers] [-- --repeats 3]
 */
import sharp from 'sharp';
import type { FoveatedManifest } from '../functions/domain/foveate/index.js';
import type { ItemManifest, ItemsPage } from '../functions/domain/items/types.js';
import { setEyes, setHeadPose } from '../tests/browser/emulatedHeadset.js';
import { installEmulatedHeadset, isWebGlError, launchViewerBrowser, type ViewerBrowser } from '../tests/browser/viewerBrowser.js';
import { startViewerPipeline } from '../tests/browser/viewerPipeline.js';
import { numberArg } from './benchArgs.js';
import { loadRealPhotos, photoMosaic } from './realPhotos.js';

const throttle = { rttMs: 100, megabitsPerSecond: 20 };
/** `--layers`: IWER with Meta's WebXR Layers polyfill, so flat photos go into a quad layer (the composited path). */
const withLayers = process.argv.includes('--layers');
const repeats = numberArg('repeats', 3);
const eyeWidthPx = 600;
const fovyRadians = 2 * Math.atan(eyeWidthPx / (26 * (180 / Math.PI)) / 2);
/** Photo Sphere XMP: the panorama is a 360° equirect whatever its aspect. */
const gpanoXmp =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:GPano="http://ns.google.com/photos/1.0/panorama/" GPano:ProjectionType="equirectangular"/>' +
  '</rdf:RDF></x:xmpmeta>';
const panoramaPoses = [
  [0, 0],
  [90, 0],
  [180, 0],
  [270, 0],
  [0, 60],
  [180, 60],
  [90, -60],
  [270, -60],
] as const;

interface ItemFigures {
  name: string;
  firstPixelMs: number;
  fovealSharpMs: number;
  /** From opening to the last response the first view needed: what the network alone costs. */
  networkMs: number;
  firstViewBytes: number;
  fullResBytes: number;
  originalBytes: number;
  textureMbMax: number;
  /** Mean XR frame interval with the item open and sharp (software rendering: mostly the tile shader's fill). */
  frameMs: number;
}

const served = await startViewerPipeline('bench-viewer');
const { pipeline } = served;
try {
  console.error('making media: mosaics of real photos (24 and 36 MP) and a 34 MP 360° panorama from opencv-doc');
  const photos = loadRealPhotos();
  const jpeg = (pixels: Buffer, xmp?: string) => (xmp ? sharp(pixels).withXmp(xmp) : sharp(pixels)).jpeg({ quality: 92 }).toBuffer();
  const uploads = [
    { name: 'mosaic-24mp-a.jpg', bytes: await jpeg(await photoMosaic(photos, 6000, 4000, 4, 4, 0)) },
    { name: 'mosaic-24mp-b.jpg', bytes: await jpeg(await photoMosaic(photos, 6000, 4000, 4, 4, 5)) },
    { name: 'mosaic-24mp-c.jpg', bytes: await jpeg(await photoMosaic(photos, 6000, 4000, 3, 3, 9)) },
    { name: 'mosaic-36mp.jpg', bytes: await jpeg(await photoMosaic(photos, 7360, 4912, 4, 4, 13)) },
    { name: 'panorama-360-34mp.jpg', bytes: await jpeg(await photoMosaic(photos, 8192, 4096, 8, 4, 3), gpanoXmp) },
  ];

  console.error(`ingesting ${uploads.length} images`);
  for (const upload of uploads) await pipeline.upload(`uploads/${upload.name}`, upload.bytes, 'image/jpeg');
  await pipeline.waitForIdle(600_000);
  const items = ((await (await fetch(new URL('api/items?limit=200', pipeline.viewerUrl))).json()) as ItemsPage).items;

  const browser = await launchViewerBrowser();
  try {
    const sessions: Session[] = [];
    for (let session = 1; session <= repeats; session += 1) {
      sessions.push(await measureSession(browser, pipeline.viewerUrl, items, uploads));
      console.error(`session ${session} of ${repeats} measured`);
    }
    report(sessions);
  } finally {
    await browser.close();
  }
} finally {
  await served.stop();
}

interface Session {
  figures: ItemFigures[];
  galleryFrameMs: number;
  /** The share of the session the page's main thread spent in tasks over 50 ms. */
  mainThreadBusy: number;
  webglErrors: number;
}

/** A fresh page (no HTTP cache, nothing of the last session), in XR, opening every item once. */
async function measureSession(
  browser: ViewerBrowser,
  viewerUrl: string,
  items: readonly ItemManifest[],
  uploads: readonly { name: string; bytes: Buffer }[],
): Promise<Session> {
  const { page } = await browser.newPage();
  await page.setViewportSize({ width: 2 * eyeWidthPx, height: eyeWidthPx });
  await installEmulatedHeadset(page, { layers: withLayers });
  // Main-thread long tasks (frames that take > 50 ms): on a 2-core machine drawing XR frames in software,
  // they, not the network, set most of the time to foveal sharpness.
  await page.addInitScript(() => {
    const counters = window as unknown as { longTaskMs: number };
    counters.longTaskMs = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => (counters.longTaskMs += entry.duration))).observe({
      type: 'longtask',
    });
  });
  // The mean interval of the page's animation frames (the XR frames here) over two seconds.
  const meanFrameMs = () =>
    page.evaluate(async () => {
      const times: number[] = [];
      const end = performance.now() + 2000;
      while (performance.now() < end) times.push(await new Promise<number>((resolve) => requestAnimationFrame(resolve)));
      return (times.at(-1)! - times[0]!) / (times.length - 1);
    });
  const longTaskClock = () => page.evaluate(() => [(window as unknown as { longTaskMs: number }).longTaskMs, performance.now()] as const);
  let webglErrors = 0;
  page.on('console', (message) => {
    const text = message.text();
    if (isWebGlError(text)) {
      webglErrors += 1;
      if (webglErrors <= 3) console.error(`WebGL error: ${text.slice(0, 300)}`);
    }
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: throttle.rttMs,
    downloadThroughput: (throttle.megabitsPerSecond * 1e6) / 8,
    uploadThroughput: (throttle.megabitsPerSecond * 1e6) / 8,
  });
  const urls = new Map<string, string>();
  const transfers: { url: string; bytes: number }[] = [];
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) => transfers.push({ url: urls.get(event.requestId) ?? '', bytes: event.encodedDataLength }));

  await page.goto(viewerUrl);
  await page.waitForSelector(`body[data-panels="${items.length}"]`, { timeout: 120_000 });
  await setEyes(page, fovyRadians, true);
  await page.locator('#enter-vr').click();
  await page.waitForSelector('body[data-xr="presenting"]');
  await setHeadPose(page, 0, 0);

  const figures: ItemFigures[] = [];
  const [longTaskMsBefore, clockBefore] = await longTaskClock();
  for (const upload of uploads) {
    const item = items.find((candidate) => candidate.source.key === `uploads/${upload.name}`)!;
    transfers.length = 0;
    await page.evaluate((itemId) => (location.hash = `#item=${itemId}`), item.itemId);
    await page.waitForFunction(
      (itemId) => performance.getEntriesByName('viewer:foveal-sharp').some((mark) => (mark as PerformanceMark).detail === itemId),
      item.itemId,
      { timeout: 60_000 },
    );
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const [open, firstPixel, fovealSharp] = await page.evaluate(
      (itemId) =>
        ['viewer:open', 'viewer:first-pixel', 'viewer:foveal-sharp'].map(
          (name) => (performance.getEntriesByName(name) as PerformanceMark[]).filter((mark) => mark.detail === itemId).at(-1)!.startTime,
        ),
      item.itemId,
    );
    const marks = { open: open!, firstPixel: firstPixel!, fovealSharp: fovealSharp! };
    // When the last response that arrived before the first view was sharp had arrived (same clock as the marks):
    // the network's share; the rest is decoding, uploading and drawing (software rendering here).
    const networkDone = await page.evaluate(
      ([itemId, from, to]) =>
        Math.max(
          from,
          ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((entry) => entry.name.includes(`/items/${itemId}/`) && entry.startTime >= from && entry.responseEnd <= to)
            .map((entry) => entry.responseEnd),
        ),
      [item.itemId, marks.open, marks.fovealSharp] as const,
    );
    const firstViewBytes = transfers
      .filter((transfer) => transfer.url.includes(`/items/${item.itemId}/`))
      .reduce((sum, transfer) => sum + transfer.bytes, 0);
    const profileId = await page.evaluate(() => document.body.dataset.openedProfile ?? '');
    if (item.foveated!.projection === 'equirect') {
      for (const [yaw, pitch] of panoramaPoses) {
        await setHeadPose(page, yaw, pitch);
        await page.waitForTimeout(400);
        await page.waitForSelector('body[data-foveal-pending="0"]', { timeout: 60_000 });
      }
      await setHeadPose(page, 0, 0);
    }
    const frameMs = await meanFrameMs();
    const textureMbMax = Number(await page.evaluate(() => document.body.dataset.textureMbMax ?? '0'));
    figures.push({
      name: upload.name,
      firstPixelMs: marks.firstPixel - marks.open,
      fovealSharpMs: marks.fovealSharp - marks.open,
      networkMs: networkDone - marks.open,
      firstViewBytes,
      fullResBytes: await fullResolutionBytes(viewerUrl, item, profileId),
      originalBytes: upload.bytes.byteLength,
      textureMbMax,
      frameMs,
    });
    await page.evaluate(() => (location.hash = ''));
    await page.waitForSelector('body[data-opened-item=""]');
  }

  const [longTaskMsAfter, clockAfter] = await longTaskClock();
  const galleryFrameMs = await meanFrameMs();
  await page.close();
  return { figures, galleryFrameMs, mainThreadBusy: (longTaskMsAfter - longTaskMsBefore) / (clockAfter - clockBefore), webglErrors };
}

// Declarations, not consts: the measuring above runs at the top level before this part of the module is reached.
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median and range over the sessions, as "median (min–max)". */
function spread(values: readonly number[]): string {
  if (values.length === 1) return values[0]!.toFixed(0);
  return `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
}

function rangeOf(values: readonly number[]): number[] {
  return [Math.round(Math.min(...values)), Math.round(Math.max(...values))];
}

/** Per item, each timing's median and range over the sessions; the JSON line's timings are the medians over sessions of each session's worst item. */
function report(sessions: readonly Session[]): void {
  const first = sessions[0]!;
  console.log(
    `network ${throttle.megabitsPerSecond} Mbps, ${throttle.rttMs} ms RTT; emulated Quest 3 at 26 PPD (quest-3 layers); media drawn ${withLayers ? 'in WebXR layers where they fit (layers polyfill)' : 'by the tile shader'}; ${sessions.length} sessions, timings as median (min–max)`,
  );
  console.log(
    '| image | first pixel ms | foveal sharp ms | of which network ms | first view | full-PPD layer | ratio | original | decoded textures (max) | XR frame ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  first.figures.forEach((figure, i) => {
    const across = (pick: (figure: ItemFigures) => number) => sessions.map((session) => pick(session.figures[i]!));
    const textureMbMax = Math.max(...across((each) => each.textureMbMax));
    console.log(
      `| ${figure.name} | ${spread(across((each) => each.firstPixelMs))} | ${spread(across((each) => each.fovealSharpMs))} | ${spread(across((each) => each.networkMs))} | ` +
        `${kb(figure.firstViewBytes)} | ${kb(figure.fullResBytes)} | ${(figure.firstViewBytes / figure.fullResBytes).toFixed(3)} | ${kb(figure.originalBytes)} | ` +
        `${textureMbMax.toFixed(1)} MB | ${spread(across((each) => each.frameMs))} |`,
    );
  });
  const worstPerSession = (pick: (figure: ItemFigures) => number) => sessions.map((session) => Math.max(...session.figures.map(pick)));
  const figures = sessions.flatMap((session) => session.figures);
  const heaviest = figures.reduce((best, figure) => (figure.firstViewBytes > best.firstViewBytes ? figure : best));
  const firstPixel = worstPerSession((figure) => figure.firstPixelMs);
  const fovealSharp = worstPerSession((figure) => figure.fovealSharpMs);
  const network = worstPerSession((figure) => figure.networkMs);
  const openedFrame = worstPerSession((figure) => figure.frameMs);
  const galleryFrame = sessions.map((session) => session.galleryFrameMs);
  console.log(
    JSON.stringify({
      sessions: sessions.length,
      time_to_first_pixel_ms: Math.round(median(firstPixel)),
      time_to_first_pixel_ms_range: rangeOf(firstPixel),
      time_to_foveal_sharp_ms: Math.round(median(fovealSharp)),
      time_to_foveal_sharp_ms_range: rangeOf(fovealSharp),
      first_view_bytes: heaviest.firstViewBytes,
      full_res_bytes: heaviest.fullResBytes,
      decoded_texture_mb_max: Number(Math.max(...figures.map((figure) => figure.textureMbMax)).toFixed(2)),
      webgl_errors: sessions.reduce((sum, session) => sum + session.webglErrors, 0),
      foveal_sharp_network_ms: Math.round(median(network)),
      first_view_ratio_vs_full_res: Number(Math.max(...figures.map((figure) => figure.firstViewBytes / figure.fullResBytes)).toFixed(3)),
      main_thread_long_task_fraction: Number(median(sessions.map((session) => session.mainThreadBusy)).toFixed(2)),
      xr_frame_ms_opened_max: Math.round(median(openedFrame)),
      xr_frame_ms_opened_max_range: rangeOf(openedFrame),
      xr_frame_ms_gallery: Math.round(median(galleryFrame)),
      xr_frame_ms_gallery_range: rangeOf(galleryFrame),
    }),
  );
}

/** The reference: every file (in its preferred format) of the full-PPD layer of the profile drawn. */
async function fullResolutionBytes(viewerUrl: string, item: ItemManifest, profileId: string): Promise<number> {
  const manifest = (await (await fetch(new URL(item.foveated!.key, viewerUrl))).json()) as FoveatedManifest;
  const profile = manifest.profiles.find((candidate) => candidate.id === profileId) ?? manifest.profiles[0]!;
  const finest = manifest.layers.find((layer) => layer.name === profile.layers.at(-1))!;
  return finest.tiles.reduce((sum, tile) => sum + tile.files[0]!.bytes, 0);
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
