import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemManifest, ItemsPage } from '../../functions/domain/items/types.js';
import type { LocalPipeline } from '../../local/index.js';
import { makeClip } from '../helpers/testVideos.js';
import { hueBlobCentre } from './hueBlobCentre.js';
import { hueCoverage } from './hueCoverage.js';
import { launchViewerBrowser, type ViewerBrowser, type ViewerPage } from './viewerBrowser.js';
import { itemsByUploadKey, startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

/**
 * The opened item on a desktop, against the real local pipeline: a photo
 * drawn from its foveated layers (base first on the network, no visible
 * tile or layer border, colours where they belong), its neighbours from the
 * query API (one opens on click), a video's two streams playing in step,
 * search by a dropped image, and an item whose layers arrive while it is open.
 * One page does it all, in order.
 */

const photo = { widthPx: 3600, heightPx: 2400 };
const hues = { red: 0, green: 120, blue: 225 } as const;
type HueName = keyof typeof hues;
const clip = { seconds: 10, frameRate: 30 };

/** Smooth everywhere: red follows x, green y, blue a slow wave; a misplaced tile or a seam shows as a jump. */
function gradientPixel(u: number, v: number): [number, number, number] {
  return [20 + 215 * u, 20 + 215 * v, 128 + 90 * Math.sin(2 * Math.PI * (1.5 * u + v))];
}

async function gradientPhoto(): Promise<Buffer> {
  const { widthPx, heightPx } = photo;
  const pixels = Buffer.alloc(widthPx * heightPx * 3);
  for (let y = 0; y < heightPx; y += 1) {
    for (let x = 0; x < widthPx; x += 1) {
      const [r, g, b] = gradientPixel((x + 0.5) / widthPx, (y + 0.5) / heightPx);
      pixels.set([Math.round(r), Math.round(g), Math.round(b)], (y * widthPx + x) * 3);
    }
  }
  return sharp(pixels, { raw: { width: widthPx, height: heightPx, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

const hueImage = (hueDegrees: number) =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: `hsl(${hueDegrees}, 85%, 50%)` } })
    .png()
    .toBuffer();

/**
 * The largest step between neighbouring pixels in a region of a screenshot
 * (per channel, 0-255). The gradient changes by well under one level per
 * screen pixel; a gap, a shifted tile or a border between layers of
 * different brightness is a step of many.
 */
async function largestStep(png: Buffer, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const { data, info } = await sharp(png).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let largest = 0;
  for (let y = 0; y < info.height; y += 1) {
    for (let x = 0; x < info.width; x += 1) {
      const at = (y * info.width + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        if (x + 1 < info.width) largest = Math.max(largest, Math.abs(data[at + c]! - data[at + 3 + c]!));
        if (y + 1 < info.height) largest = Math.max(largest, Math.abs(data[at + c]! - data[at + info.width * 3 + c]!));
      }
    }
  }
  return largest;
}

describe('opened items on a desktop', () => {
  let served: ViewerPipeline;
  let pipeline: LocalPipeline;
  let browser: ViewerBrowser;
  let viewer: ViewerPage;
  const items = {} as Record<'photo' | 'video' | HueName, ItemManifest>;
  const requests: string[] = [];

  beforeAll(async () => {
    served = await startViewerPipeline('xr-viewer-media');
    pipeline = served.pipeline;
    await pipeline.upload('uploads/gradient.jpg', await gradientPhoto(), 'image/jpeg');
    for (const [name, hue] of Object.entries(hues)) await pipeline.upload(`uploads/${name}.png`, await hueImage(hue), 'image/png');
    const clipPath = makeClip({
      widthPx: 1280,
      heightPx: 720,
      seconds: clip.seconds,
      frameRate: clip.frameRate,
      audio: true,
      path: join(served.dataDir, 'clip.mp4'),
      faststart: true,
    });
    await pipeline.upload('uploads/clip.mp4', await readFile(clipPath), 'video/mp4');
    await pipeline.waitForIdle(180_000);
    const byKey = await itemsByUploadKey(pipeline);
    Object.assign(items, {
      photo: byKey('uploads/gradient.jpg'),
      video: byKey('uploads/clip.mp4'),
      red: byKey('uploads/red.png'),
      green: byKey('uploads/green.png'),
      blue: byKey('uploads/blue.png'),
    });
    browser = await launchViewerBrowser();
    viewer = await browser.newPage();
    viewer.page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  const canvasShot = (page: Page) => page.locator('canvas').screenshot({ type: 'png' });
  const open = async (page: Page, item: ItemManifest, role = 'sharp') => {
    await page.evaluate((hash) => (location.hash = hash), `#item=${item.itemId}`);
    await page.waitForSelector(`body[data-opened-item="${item.itemId}"][data-opened-role="${role}"]`);
  };

  it('opens a photo from a link: its base layer is requested before any other layer, then the layers the window can show', async () => {
    const { page, problems } = viewer;
    await page.goto(`${pipeline.viewerUrl}#item=${items.photo.itemId}`);
    await page.waitForSelector(`body[data-opened-item="${items.photo.itemId}"][data-opened-role="sharp"]`);
    const layerRequests = requests.filter((path) => path.startsWith(`/items/${items.photo.itemId}/preview/foveated/`));
    const layerOf = (path: string) => path.split('/preview/foveated/')[1]!.split('/')[0]!;
    expect(layerOf(layerRequests[0]!)).toMatch(/^base-/);
    expect(layerRequests.some((path) => layerOf(path).startsWith('ring-'))).toBe(true);
    // Fitted to a 1280×720 window the panel shows fewer pixels per degree than its rings have: no full-PPD tile is asked for.
    expect(Number(await page.evaluate(() => document.body.dataset.openedPpd))).toBeLessThan(12);
    expect(layerRequests.filter((path) => layerOf(path).startsWith('tiles-'))).toEqual([]);
    // Nothing is asked for twice by the opened view (not while a tile decodes, not by the placeholder and the
    // scheduler together): each layer file crossed the network once. The base also once more for the gallery's
    // panel, which loads after the view's base arrived: a browser serves that from its cache, but the test's
    // routing (viewerBrowser) turns the HTTP cache off.
    const repeated = layerRequests.filter((path, index) => layerRequests.indexOf(path) !== index);
    expect(repeated.filter((path) => !layerOf(path).startsWith('base-'))).toEqual([]);
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(problems).toEqual([]);
  });

  it('zooms in (wheel, +) toward full PPD: the PPD asked for rises and the full-PPD tiles come; 0 fits again and lets them go', async () => {
    const { page, problems } = viewer;
    const state = () => page.evaluate(() => ({ ...document.body.dataset }));
    const fitted = await state();
    await page.mouse.move(640, 360);
    for (let notch = 0; notch < 4; notch += 1) await page.mouse.wheel(0, -100);
    for (let press = 0; press < 4; press += 1) await page.keyboard.press('+');
    await page.waitForSelector('body:not([data-full-ppd-drawn="0"])[data-foveal-pending="0"]', { timeout: 20_000 });
    const zoomed = await state();
    expect(Number(zoomed.openedScale)).toBeGreaterThan(2 * Number(fitted.openedScale));
    // As far as one device pixel per source pixel: 3600 px across the panel, at the PPD of the finest layer it has.
    expect(Number(zoomed.openedPpd)).toBeGreaterThan(20);
    const requested = requests.filter((path) => path.startsWith(`/items/${items.photo.itemId}/preview/foveated/tiles-`));
    // The gaze at the panel's centre needs more than one full-PPD tile here, so tile borders are in view.
    expect(requested.length).toBeGreaterThan(1);
    await page.keyboard.press('0');
    await page.waitForSelector('body[data-full-ppd-drawn="0"]');
    expect((await state()).openedScale).toBe(fitted.openedScale);
    expect(problems).toEqual([]);
  });

  it('draws the layers without a visible border, each colour where the photo has it', async () => {
    const { page } = viewer;
    // Zoomed in, so the full-PPD tiles, rings and base all meet on screen; every layer the gaze needs is in.
    for (let press = 0; press < 8; press += 1) await page.keyboard.press('+');
    await page.waitForSelector('body:not([data-full-ppd-drawn="0"])[data-layers-pending="0"]', { timeout: 20_000 });
    await page.waitForTimeout(300);
    const shot = await canvasShot(page);
    // The middle of the view (clear of the info bar, help and button), where the fovea tiles, rings and base meet.
    const region = { left: 240, top: 90, width: 800, height: 520 };
    expect(await largestStep(shot, region)).toBeLessThanOrEqual(10);
    // The detector sees a real seam: a step of 12 levels in the same gradient fails it.
    const seamed = await sharp(shot)
      .extract(region)
      .composite([
        {
          input: { create: { width: 400, height: 520, channels: 4, background: { r: 12, g: 12, b: 12, alpha: 1 } } },
          blend: 'add',
          left: 400,
          top: 0,
        },
      ])
      .png()
      .toBuffer();
    expect(await largestStep(seamed, { left: 0, top: 0, width: 800, height: 520 })).toBeGreaterThan(10);
    // The photo's centre is the panel's (it is lifted above straight ahead to make room for the row under it).
    const [left, top, width, height] = (await page.evaluate(() => document.body.dataset.openedRect))!.split(',').map(Number);
    const centreAt = { left: Math.round(left! + width! / 2) - 10, top: Math.round(top! + height! / 2) - 10, width: 20, height: 20 };
    const centre = await sharp(shot).extract(centreAt).removeAlpha().raw().toBuffer();
    const expected = gradientPixel(0.5, 0.5);
    for (let channel = 0; channel < 3; channel += 1) {
      let sum = 0;
      for (let index = channel; index < centre.length; index += 3) sum += centre[index]!;
      expect(Math.abs(sum / (centre.length / 3) - expected[channel]!), `channel ${channel}`).toBeLessThan(8);
    }
  });

  it('shows the neighbours from the query API below the photo, and opens one on click', async () => {
    const { page, problems } = viewer;
    await page.keyboard.press('0');
    await page.waitForSelector('body[data-neighbours]:not([data-neighbours=""]):not([data-neighbours="0"])');
    // The row is in sight under the fitted panel, without moving; its thumbnails arrive over the network (a loaded machine takes longer).
    let shot = await canvasShot(page);
    const shownHues = async () => {
      shot = await canvasShot(page);
      const coverage = await hueCoverage(shot, hues);
      return (Object.keys(hues) as HueName[]).filter((name) => coverage[name].pixels > 2000).sort();
    };
    // All three single-hue images are among the photo's neighbours (the video's poster and nothing else could be).
    await expect.poll(shownHues, { timeout: 15_000, interval: 200 }).toEqual(['blue', 'green', 'red']);
    // In the row under the photo (the photo has green of its own).
    const photoRect = (await page.evaluate(() => document.body.dataset.openedRect))!.split(',').map(Number);
    const rowTop = Math.ceil(photoRect[1]! + photoRect[3]!);
    const { height } = await sharp(shot).metadata();
    const row = await sharp(shot)
      .extract({ left: 0, top: rowTop, width: 1280, height: height - rowTop })
      .png()
      .toBuffer();
    const target = (await hueBlobCentre(row, hues.green))!;
    await page.mouse.click(target.x, rowTop + target.y);
    await page.waitForSelector(`body[data-opened-item="${items.green.itemId}"]`);
    expect(problems).toEqual([]);
  });

  it('plays a video: both streams advance together, within one frame, and seek together', async () => {
    const { page, problems } = viewer;
    await open(page, items.video);
    await page.keyboard.press('k');
    await page.waitForSelector('body[data-video="playing"]');
    // Both streams' clocks at every animation frame, and whether both were playing then (a stream that ran
    // out of data pauses the other until both can go on: those moments are waits, not drift).
    const sample = (milliseconds: number) =>
      page.evaluate(async (duration) => {
        const [base, centre] = [...document.querySelectorAll<HTMLVideoElement>('#video-streams video')];
        const times: [number, number, boolean][] = [];
        const end = performance.now() + duration;
        while (performance.now() < end) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const moving = [base!, centre!].every((video) => !video.paused && !video.seeking && video.readyState >= 3);
          times.push([base!.currentTime, centre!.currentTime, moving]);
        }
        return times;
      }, milliseconds);
    await sample(500); // the centre settles onto the base's clock
    const times = await sample(1500);
    const frameSeconds = 1 / clip.frameRate;
    const playing = times.filter(([, , moving]) => moving);
    expect(playing.length, 'frames with both streams playing').toBeGreaterThan(times.length / 2);
    expect(times.at(-1)![0] - times[0]![0]).toBeGreaterThan(0.5);
    expect(Math.max(...playing.map(([base, centre]) => Math.abs(base - centre)))).toBeLessThanOrEqual(frameSeconds);

    const before = times.at(-1)![0];
    await page.keyboard.press('l');
    await page.waitForFunction(
      (target) =>
        [...document.querySelectorAll<HTMLVideoElement>('#video-streams video')].every(
          (video) => video.currentTime > target && !video.seeking && !video.paused,
        ),
      before + 3,
    );
    // As after play: both streams restart from the same frame, and the centre settles onto the base's clock
    // (which, carrying the sound, starts a little late).
    await sample(300);
    const afterSeek = (await sample(700)).filter(([, , moving]) => moving);
    expect(afterSeek.length).toBeGreaterThan(0);
    expect(Math.max(...afterSeek.map(([base, centre]) => Math.abs(base - centre)))).toBeLessThanOrEqual(frameSeconds);
    await page.keyboard.press('k');
    await page.waitForSelector('body[data-video="paused"]');
    expect(problems).toEqual([]);
  });

  it('searches by a dropped image: the most similar item comes first and opens on click', async () => {
    const { page, problems } = viewer;
    await page.keyboard.press('Escape');
    await page.waitForSelector('body[data-opened-item=""]');
    const red = [...(await hueImage(hues.red))];
    await page.evaluate((bytes) => {
      const file = new File([new Uint8Array(bytes)], 'query.png', { type: 'image/png' });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, red);
    await page.waitForSelector('body[data-neighbours]:not([data-neighbours=""]):not([data-neighbours="0"])');
    // The results' thumbnails arrive over the network: look until every hue is drawn.
    let results: { name: HueName; at: Awaited<ReturnType<typeof hueBlobCentre>> }[] = [];
    const drawnHues = async () => {
      const shot = await canvasShot(page);
      results = await Promise.all(
        (Object.keys(hues) as HueName[]).map(async (name) => ({ name, at: await hueBlobCentre(shot, hues[name]) })),
      );
      return results
        .filter(({ at }) => at !== undefined)
        .map(({ name }) => name)
        .sort();
    };
    await expect.poll(drawnHues, { timeout: 15_000, interval: 200 }).toEqual((Object.keys(hues) as HueName[]).sort());
    // Results run left to right by similarity: the dropped red image's twin first. Looked at where the viewer says the
    // first result is drawn (the dimmed gallery behind the row has the same hues).
    const [left, top, width, height] = (await page.evaluate(() => document.body.dataset.firstResultRect))!.split(',').map(Number);
    const first = { x: Math.round(left! + width! / 2), y: Math.round(top! + height! / 2) };
    const middle = await sharp(await canvasShot(page))
      .extract({ left: first.x - 3, top: first.y - 3, width: 6, height: 6 })
      .removeAlpha()
      .raw()
      .toBuffer();
    const mean = [0, 1, 2].map((channel) => middle.filter((_, index) => index % 3 === channel).reduce((sum, value) => sum + value, 0) / 36);
    expect(mean[0], `the first result's colour ${mean.join(',')}`).toBeGreaterThan(150);
    expect(Math.max(mean[1]!, mean[2]!), `the first result's colour ${mean.join(',')}`).toBeLessThan(90);
    await page.mouse.click(first.x, first.y);
    await page.waitForSelector(`body[data-opened-item="${items.red.itemId}"]`);
    expect(problems).toEqual([]);
  });

  it("shows a 'rendering' item's first preview, then its layers once the record says 'ready'", async () => {
    const { page, problems } = viewer;
    // The pipeline makes an item 'ready' within a second or two; hold its record back as 'rendering' (as the API
    // lists it during that window) for the first two fetches, so the viewer sees both states in order.
    const asRendering = ({ foveated: _layers, ...record }: ItemManifest) => ({ ...record, status: 'rendering' });
    await page.route('**/api/items?*', async (route) => {
      const response = await route.fetch();
      const page = (await response.json()) as ItemsPage;
      return route.fulfill({
        response,
        json: { ...page, items: page.items.map((item) => (item.itemId === items.green.itemId ? asRendering(item) : item)) },
      });
    });
    let held = 0;
    await page.route(`**/api/items/${items.green.itemId}`, async (route) => {
      const response = await route.fetch();
      const record = (await response.json()) as ItemManifest;
      return held++ < 2 ? route.fulfill({ response, json: asRendering(record) }) : route.fulfill({ response });
    });
    await page.goto(`${pipeline.viewerUrl}?fresh#item=${items.green.itemId}`);
    await page.waitForSelector(`body[data-opened-item="${items.green.itemId}"][data-opened-role="preview"]`);
    expect(await page.locator('#info-text').textContent()).toContain('making sharper layers');
    await page.waitForSelector(`body[data-opened-item="${items.green.itemId}"][data-opened-role="sharp"]`, { timeout: 15_000 });
    expect(held).toBeGreaterThan(2);
    await page.unrouteAll();
    expect(problems).toEqual([]);
  });
});
