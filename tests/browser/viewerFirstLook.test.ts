import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import type { ItemManifest } from '../../functions/domain/items/types.js';
import { makeClip } from '../helpers/testVideos.js';
import { setEyes } from './emulatedHeadset.js';
import { installEmulatedHeadset, launchViewerBrowser, type ViewerBrowser } from './viewerBrowser.js';
import { itemsByUploadKey, startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

/**
 * The first look at an opened item (docs/viewer.md, "What you see"): on a desktop it fits the window
 * with its neighbours and a video's seek bar in sight, a small photo is never blown up past two device
 * pixels per source pixel, and the view cannot be dragged off the content; in a headset the panel's
 * angle follows the same rule for the display's measured PPD, with the neighbours within a glance.
 */

const windows = { landscape: { width: 1280, height: 800 }, portrait: { width: 800, height: 1280 } } as const;
const maxPxPerSourcePx = pipelineConfig.foveation.surfaces.panel.maxDisplayPxPerSourcePx;

interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const rectOf = (value: string | undefined): Rect => {
  const [left, top, width, height] = (value ?? '').split(',').map(Number);
  if (![left, top, width, height].every(Number.isFinite)) throw new Error(`not a rect: ${value}`);
  return { left: left!, top: top!, width: width!, height: height! };
};

function expectInside(rect: Rect, view: { width: number; height: number }, what: string): void {
  expect(rect.left, `${what} left`).toBeGreaterThanOrEqual(0);
  expect(rect.top, `${what} top`).toBeGreaterThanOrEqual(0);
  expect(rect.left + rect.width, `${what} right`).toBeLessThanOrEqual(view.width);
  expect(rect.top + rect.height, `${what} bottom`).toBeLessThanOrEqual(view.height);
}

/** With VIEWER_DOC_SCREENSHOTS=1 the tests write docs/viewer.md's pictures of what they checked. */
const docImages = process.env.VIEWER_DOC_SCREENSHOTS === '1' ? join(import.meta.dirname, '../../docs/images') : undefined;
async function docScreenshot(page: Page, name: string): Promise<void> {
  if (!docImages) return;
  await mkdir(docImages, { recursive: true });
  await writeFile(join(docImages, `${name}.jpg`), await page.screenshot({ type: 'jpeg', quality: 80 }));
}

const state = (page: Page) => page.evaluate(() => ({ ...document.body.dataset }));

/** Opens `item` by its link and waits until it is drawn with its neighbours laid out. */
async function open(page: Page, item: ItemManifest): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), `#item=${item.itemId}`);
  await page.waitForSelector(`body[data-opened-item="${item.itemId}"]:not([data-opened-role="none"]):not([data-opened-role=""])`);
  await page.waitForSelector('body[data-neighbours]:not([data-neighbours=""]):not([data-neighbours="0"])');
  await page.waitForTimeout(200);
}

type Box = { x: number; y: number; width: number; height: number };
const boxesOverlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Resizes the window and waits for a frame laid out for it. */
async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
  const before = (await state(page)).openedRect;
  await page.setViewportSize(size);
  await page.waitForFunction((previous) => document.body.dataset.openedRect !== previous, before);
  await page.waitForTimeout(200);
}

describe('the first look at an opened item', () => {
  let served: ViewerPipeline;
  let browser: ViewerBrowser;
  const items = {} as Record<'landscape' | 'portrait' | 'small' | 'clip', ItemManifest>;

  beforeAll(async () => {
    served = await startViewerPipeline('xr-viewer-first-look');
    const { pipeline } = served;
    const photo = (width: number, height: number, hue: number) =>
      sharp({ create: { width, height, channels: 3, background: `hsl(${hue}, 70%, 50%)` } })
        .jpeg()
        .toBuffer();
    await pipeline.upload('uploads/landscape.jpg', await photo(3600, 2400, 20), 'image/jpeg');
    await pipeline.upload('uploads/portrait.jpg', await photo(1600, 2400, 140), 'image/jpeg');
    await pipeline.upload('uploads/small.jpg', await photo(451, 300, 220), 'image/jpeg');
    for (const hue of [60, 280, 330]) await pipeline.upload(`uploads/hue-${hue}.jpg`, await photo(800, 600, hue), 'image/jpeg');
    const clipPath = makeClip({ widthPx: 1280, heightPx: 720, seconds: 2, path: join(served.dataDir, 'clip.mp4'), faststart: true });
    await pipeline.upload('uploads/clip.mp4', await readFile(clipPath), 'video/mp4');
    await pipeline.waitForIdle(180_000);
    const byKey = await itemsByUploadKey(pipeline);
    Object.assign(items, {
      landscape: byKey('uploads/landscape.jpg'),
      portrait: byKey('uploads/portrait.jpg'),
      small: byKey('uploads/small.jpg'),
      clip: byKey('uploads/clip.mp4'),
    });
    browser = await launchViewerBrowser({ viewport: windows.landscape });
  }, 240_000);

  /** A new page in the landscape window with `item` opened. */
  async function openedInLandscapeWindow(item: ItemManifest) {
    const viewerPage = await browser.newPage();
    await viewerPage.page.setViewportSize(windows.landscape);
    await viewerPage.page.goto(served.pipeline.viewerUrl);
    await open(viewerPage.page, item);
    return viewerPage;
  }

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('fits a landscape and a portrait photo inside a landscape and a portrait window, with the first neighbour in sight, and again after a resize', async () => {
    const { page, problems } = await browser.newPage();
    await page.goto(served.pipeline.viewerUrl);
    for (const photo of ['landscape', 'portrait'] as const) {
      await page.setViewportSize(windows.landscape);
      await open(page, items[photo]);
      for (const [name, size] of Object.entries(windows)) {
        if (name === 'portrait') await resize(page, size);
        const shown = await state(page);
        const rect = rectOf(shown.openedRect);
        expectInside(rect, size, `${photo} photo in a ${name} window`);
        // The source has the pixels: the photo fills at least 60 % of the side that limits it.
        expect(Math.max(rect.width / size.width, rect.height / size.height), `${photo} in ${name}`).toBeGreaterThanOrEqual(0.6);
        expectInside(rectOf(shown.neighbourRect), size, `first neighbour of the ${photo} photo in a ${name} window`);
        const [info, help] = await Promise.all(['#info', '#help'].map((selector) => page.locator(selector).boundingBox()));
        expect(info && help && !boxesOverlap(info, help), `the info bar and the help line apart in a ${name} window`).toBe(true);
        if (photo === 'landscape') await docScreenshot(page, `first-look-${size.width}x${size.height}`);
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a video's seek bar and its play state without moving", async () => {
    const { page, problems } = await openedInLandscapeWindow(items.clip);
    for (const [name, size] of Object.entries(windows)) {
      if (name === 'portrait') await resize(page, size);
      const shown = await state(page);
      expectInside(rectOf(shown.seekBarRect), size, `seek bar in a ${name} window`);
      expectInside(rectOf(shown.openedRect), size, `video in a ${name} window`);
      expect(shown.video).toBe('paused');
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the view on the content: dragging far down stops at the neighbours, far up at the top of the photo', async () => {
    const { page, problems } = await openedInLandscapeWindow(items.landscape);
    const drag = async (fromY: number, toY: number) => {
      for (let stroke = 0; stroke < 3; stroke += 1) {
        await page.mouse.move(640, fromY);
        await page.mouse.down();
        await page.mouse.move(640, toY, { steps: 10 });
        await page.mouse.up();
      }
      await page.waitForTimeout(600);
    };
    // Dragging the world up looks down: three long strokes would reach the floor.
    await drag(700, 100);
    const down = await state(page);
    expectInside(rectOf(down.neighbourRect), windows.landscape, 'the neighbours after looking down');
    await drag(100, 700);
    const up = rectOf((await state(page)).openedRect);
    expect(up.top + up.height, 'the photo is still in view after looking up').toBeGreaterThan(windows.landscape.height / 2);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws a 451×300 photo at no more than two device pixels per source pixel (devicePixelRatio 2), nor zooms it past that', async () => {
    const retina = await launchViewerBrowser({ viewport: windows.landscape, deviceScaleFactor: 2 });
    try {
      const { page, problems } = await retina.newPage();
      await page.goto(served.pipeline.viewerUrl);
      await open(page, items.small);
      const fitted = rectOf((await state(page)).openedRect);
      // Device pixels across, against the source's 451.
      expect(fitted.width * 2).toBeLessThanOrEqual(maxPxPerSourcePx * 451 + 1);
      expect(fitted.width * 2).toBeGreaterThan(0.9 * maxPxPerSourcePx * 451);
      for (let press = 0; press < 3; press += 1) await page.keyboard.press('+');
      await page.waitForTimeout(300);
      expect(rectOf((await state(page)).openedRect).width).toBeCloseTo(fitted.width, 0);
      expect(problems).toEqual([]);
    } finally {
      await retina.close();
    }
  });

  it('in a headset, sizes the panel by the rule for the measured PPD: a small photo smaller, the more so the finer the display, its neighbours within a glance', async () => {
    const headset = await launchViewerBrowser();
    try {
      const { page, problems } = await headset.newPage();
      await installEmulatedHeadset(page);
      await page.goto(served.pipeline.viewerUrl);
      await page.waitForSelector('body[data-panels]:not([data-panels=""])');
      const shownAt = async (fovyRadians: number) => {
        await setEyes(page, fovyRadians, true);
        await page.locator('#enter-vr').click();
        await page.waitForSelector('body[data-xr="presenting"]');
        await open(page, items.small);
        await page.waitForFunction(() => document.body.dataset.neighboursWithinDeg);
        const shown = await state(page);
        if (fovyRadians > 0.4) await docScreenshot(page, 'first-look-headset');
        await page.evaluate(() => document.getElementById('enter-vr')?.click());
        await page.waitForSelector('body[data-xr=""]');
        return shown;
      };
      const rule = (displayPpd: number) => {
        // Half-width tangent at which 451 px get two display pixels each at the centre, within the configured 90°.
        const fill = (451 / 2) * (Math.PI / 180) * (maxPxPerSourcePx / displayPpd);
        return 2 * Math.atan(Math.min(1, fill)) * (180 / Math.PI);
      };
      // Two eyes of 600×600 pixels (IWER's): a field of view of 24° puts Quest 3's 25 PPD at the centre, 17° a finer display's 35.
      const quest = await shownAt((24 * Math.PI) / 180);
      const finer = await shownAt((17 * Math.PI) / 180);
      expect(Number(finer.displayPpd)).toBeGreaterThan(1.3 * Number(quest.displayPpd));
      for (const shown of [quest, finer]) {
        expect(Number(shown.openedWidthDeg)).toBeCloseTo(rule(Number(shown.displayPpd)), 0);
        expect(Number(shown.openedWidthDeg)).toBeLessThan(60);
        expect(Number(shown.neighboursWithinDeg)).toBeLessThanOrEqual(35);
      }
      expect(Number(finer.openedWidthDeg)).toBeLessThan(Number(quest.openedWidthDeg));
      expect(problems).toEqual([]);
    } finally {
      await headset.close();
    }
  });
});
