import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemManifest, ItemsPage } from '../../functions/domain/items/types.js';
import type { LocalPipeline } from '../../local/index.js';
import { hueCoverage } from './hueCoverage.js';
import { aimController, holdSqueeze, pinch, pressButton, pushThumbstick, useHands } from './emulatedHeadset.js';
import { installEmulatedHeadset, launchViewerBrowser, type ViewerBrowser, type ViewerPage } from './viewerBrowser.js';
import { startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

/**
 * The viewer against the real local pipeline: images go into the media
 * bucket, the ingest worker makes items, the built viewer loads them through
 * /api/items and /items/..., and the checks read the rendered pixels.
 */

/** Three images of clearly different hue and aspect; hues in HSV degrees. */
const images = [
  { name: 'red', hueDegrees: 0, widthPx: 640, heightPx: 480 },
  { name: 'green', hueDegrees: 120, widthPx: 480, heightPx: 640 },
  // Not 2:1, which would make it a 360° panorama.
  { name: 'blue', hueDegrees: 225, widthPx: 800, heightPx: 450 },
] as const;
type ImageName = (typeof images)[number]['name'];
const hues = Object.fromEntries(images.map((image) => [image.name, image.hueDegrees])) as Record<ImageName, number>;
const clearColor = '#111418';

/** A vertical gradient from light to dark of one hue, so the image is not flat but the hue is unambiguous. */
function hueImage(hueDegrees: number, widthPx: number, heightPx: number): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">` +
    `<defs><linearGradient id="g" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hueDegrees},90%,58%)"/>` +
    `<stop offset="1" stop-color="hsl(${hueDegrees},90%,40%)"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** sRGB bytes of an HSL colour (CSS Color 4's hsl-to-rgb). */
function hslToRgb(hueDegrees: number, saturation: number, lightness: number): [number, number, number] {
  const amplitude = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hueDegrees / 30) % 12;
    return Math.round(255 * (lightness - amplitude * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

describe('viewer on the local pipeline', () => {
  let served: ViewerPipeline;
  let pipeline: LocalPipeline;
  let browser: ViewerBrowser;
  const openPages: Page[] = [];

  beforeAll(async () => {
    served = await startViewerPipeline('xr-viewer-test');
    pipeline = served.pipeline;
    browser = await launchViewerBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  async function openViewer(hash = '', prepare?: (page: Page) => Promise<unknown>): Promise<ViewerPage> {
    const viewer = await browser.newPage();
    openPages.push(viewer.page);
    await prepare?.(viewer.page);
    await viewer.page.goto(new URL(hash, pipeline.viewerUrl).href);
    return viewer;
  }

  async function closePages(): Promise<void> {
    await Promise.all(openPages.splice(0).map((page) => page.close()));
  }

  const canvasShot = (page: Page) => page.locator('canvas').screenshot({ type: 'png' });
  const bodyData = (page: Page, name: string) => page.evaluate((key) => document.body.dataset[key] ?? '', name);

  it('says how to add items when there are none', async () => {
    const { page, problems } = await openViewer();
    await page.waitForSelector('body[data-state="empty"]');
    expect(await page.locator('#status').textContent()).toContain('No items yet');
    expect(await page.locator('#status').textContent()).toContain('npm run upload -- <files>');
    expect(problems).toEqual([]);
    await closePages();
  });

  it('shows an error and a retry button when /api/items answers 500', async () => {
    const { page, problems } = await openViewer('', (page) =>
      page.route('**/api/items?*', (route) =>
        route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'injected failure' }) }),
      ),
    );
    await page.waitForSelector('body[data-state="error"]');
    expect(await page.locator('#status').textContent()).toContain('Could not load items');
    expect(await page.locator('#status').textContent()).toContain('500: injected failure');
    expect(await page.locator('#status button', { hasText: 'Retry' }).isVisible()).toBe(true);

    // Once the API is back, Retry loads the (still empty) gallery without a reload.
    await page.unroute('**/api/items?*');
    await page.locator('#status button', { hasText: 'Retry' }).click();
    await page.waitForSelector('body[data-state="empty"]');
    expect(problems).toEqual([]);
    await closePages();
  });

  it('rides out a 503 and a reset connection on the way to the catalog', async () => {
    let calls = 0;
    const { page, problems } = await openViewer('', (page) =>
      page.route('**/api/items?*', (route) => {
        calls += 1;
        if (calls === 1) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: 'busy' }) });
        if (calls === 2) return route.abort('connectionreset');
        return route.continue();
      }),
    );
    await page.waitForSelector('body[data-state="empty"]');
    expect(calls).toBe(3);
    expect(problems).toEqual([]);
    await closePages();
  });

  it('shows an error when the API cannot be reached at all', async () => {
    const { page } = await openViewer('', (page) => page.route('**/api/items?*', (route) => route.abort('connectionrefused')));
    await page.waitForSelector('body[data-state="error"]');
    expect(await page.locator('#status').textContent()).toContain('could not be reached');
    await closePages();
  });

  describe('with three images uploaded', () => {
    const itemIds = {} as Record<ImageName, string>;
    let order: ItemManifest[];

    beforeAll(async () => {
      for (const image of images) {
        await pipeline.upload(`uploads/${image.name}.png`, await hueImage(image.hueDegrees, image.widthPx, image.heightPx), 'image/png');
      }
      // Half a JPEG: ingest turns it into an error record, which the gallery shows with its reason.
      const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080' } })
        .jpeg()
        .toBuffer();
      await pipeline.upload('uploads/broken.jpg', jpeg.subarray(0, jpeg.length / 2), 'image/jpeg');
      await pipeline.waitForIdle();
      const response = await fetch(new URL('api/items', pipeline.viewerUrl));
      order = ((await response.json()) as ItemsPage).items;
      for (const image of images) {
        const item = order.find((candidate) => candidate.source.key === `uploads/${image.name}.png`);
        if (!item) throw new Error(`the pipeline made no item for ${image.name}.png; items: ${order.map((i) => i.source.key).join(', ')}`);
        itemIds[image.name] = item.itemId;
      }
    });

    it('draws every uploaded image as a panel with its own hue and aspect', async () => {
      const { page, problems } = await openViewer();
      await page.waitForSelector('body[data-panels]');
      expect(await bodyData(page, 'panels')).toBe('3');
      expect(await bodyData(page, 'state')).toBe('ready');
      const shot = await canvasShot(page);
      const coverage = await hueCoverage(shot, hues);

      for (const image of images) {
        const seen = coverage[image.name];
        // A panel is ~190x140 px at 1280x720; a few thousand pixels rules out stray edges.
        expect(seen.pixels, `${image.name} pixels on the canvas`).toBeGreaterThan(5000);
        const box = seen.box!;
        const drawnAspect = (box.right - box.left + 1) / (box.bottom - box.top + 1);
        // Panels keep the picture's aspect (off-axis perspective stretches width by <7%).
        expect(drawnAspect / (image.widthPx / image.heightPx), `${image.name} aspect`).toBeGreaterThan(0.85);
        expect(drawnAspect / (image.widthPx / image.heightPx), `${image.name} aspect`).toBeLessThan(1.15);
      }
      // Three separate panels, not one blend: their boxes do not overlap horizontally.
      const lefts = images.map((image) => coverage[image.name].box!).sort((a, b) => a.left - b.left);
      expect(lefts[0]!.right).toBeLessThan(lefts[1]!.left);
      expect(lefts[1]!.right).toBeLessThan(lefts[2]!.left);
      expect(problems).toEqual([]);
      await closePages();
    });

    it('shows a failed upload under the gallery, and its reason when selected', async () => {
      const listed = (await (await fetch(new URL('api/errors', pipeline.viewerUrl))).json()) as {
        errors: { key: string; code: string; reason: string }[];
        total: number;
      };
      expect(listed.total).toBe(1);
      const record = listed.errors[0]!;
      expect(record.key).toBe('uploads/broken.jpg');
      const { page, problems } = await openViewer();
      await page.waitForSelector('body[data-panels-rejected="1"]');
      await page.waitForSelector('body[data-panels="3"]');
      // The failed upload's panel is the only thing drawn in its grey.
      const { data, info } = await sharp(await canvasShot(page))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      let [sumX, sumY, count] = [0, 0, 0];
      for (let pixel = 0; pixel < info.width * info.height; pixel += 1) {
        const [r, g, b] = [data[pixel * 3]!, data[pixel * 3 + 1]!, data[pixel * 3 + 2]!];
        if (Math.abs(r - 0x3a) + Math.abs(g - 0x3f) + Math.abs(b - 0x48) > 6) continue;
        sumX += pixel % info.width;
        sumY += Math.floor(pixel / info.width);
        count += 1;
      }
      expect(count, 'pixels of the failed upload panel').toBeGreaterThan(2000);
      await page.mouse.click(sumX / count, sumY / count);
      await page.waitForFunction(() => document.getElementById('info-text')?.textContent?.includes('was not made into an item'));
      const text = await page.locator('#info-text').textContent();
      expect(text).toContain('uploads/broken.jpg');
      expect(text).toContain(record.reason);
      expect(problems).toEqual([]);
      await closePages();
    });

    it('would fail on a canvas of the clear colour, and on panels whose thumbnails did not load', async () => {
      const blank = await sharp({ create: { width: 1280, height: 720, channels: 3, background: clearColor } })
        .png()
        .toBuffer();
      for (const seen of Object.values(await hueCoverage(blank, hues))) expect(seen.pixels).toBe(0);

      const { page } = await openViewer('', (page) => page.route('**/items/**', (route) => route.abort('failed')));
      await page.waitForSelector('body[data-panels]');
      expect(await bodyData(page, 'panels')).toBe('0');
      expect(await bodyData(page, 'panelsFailed')).toBe('3');
      for (const seen of Object.values(await hueCoverage(await canvasShot(page), hues))) expect(seen.pixels).toBeLessThan(100);
      await closePages();
    });

    it('opens a clicked panel large with its preview, and Escape goes back', async () => {
      const { page, problems } = await openViewer();
      await page.waitForSelector('body[data-panels="3"]');
      const box = (await hueCoverage(await canvasShot(page), hues)).red.box!;
      await page.mouse.click((box.left + box.right) / 2, (box.top + box.bottom) / 2);

      await page.waitForSelector(`body[data-opened-item="${itemIds.red}"][data-opened-role="sharp"]`);
      expect(new URL(page.url()).hash).toBe(`#item=${itemIds.red}`);
      expect(await page.locator('#info').textContent()).toContain('red.png');
      const opened = await hueCoverage(await canvasShot(page), hues);
      // The 4:3 preview fills most of the view: far more than the ~3% its gallery panel covers.
      expect(opened.red.fraction).toBeGreaterThan(0.25);

      await page.keyboard.press('Escape');
      await page.waitForSelector('body[data-opened-item=""]');
      expect(new URL(page.url()).hash).toBe('');
      const back = await hueCoverage(await canvasShot(page), hues);
      expect(back.red.fraction).toBeLessThan(0.1);
      expect(back.green.pixels).toBeGreaterThan(5000);
      expect(problems).toEqual([]);
      await closePages();
    });

    it('opens the item named by a #item= deep link', async () => {
      const { page, problems } = await openViewer(`#item=${itemIds.green}`);
      await page.waitForSelector(`body[data-opened-item="${itemIds.green}"][data-opened-role="sharp"]`);
      const opened = await hueCoverage(await canvasShot(page), hues);
      expect(opened.green.fraction).toBeGreaterThan(0.15);
      expect(opened.green.fraction).toBeGreaterThan(5 * opened.red.fraction);
      expect(problems).toEqual([]);
      await closePages();
    });

    it('browses with the keyboard: arrows move the selection, Enter opens, Escape closes', async () => {
      const { page, problems } = await openViewer();
      await page.waitForSelector('body[data-panels="3"]');
      const selected = (index: number) => page.waitForSelector(`body[data-selected-item="${order[index]!.itemId}"]`);
      // Three items make one row with the second straight ahead: the first key press selects it.
      await page.keyboard.press('ArrowRight');
      await selected(1);
      await page.keyboard.press('ArrowRight');
      await selected(2);
      await page.keyboard.press('KeyA');
      await selected(1);
      await page.keyboard.press('ArrowLeft');
      await selected(0);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`body[data-opened-item="${order[0]!.itemId}"][data-opened-role="sharp"]`);
      // While open, left/right step to the neighbouring item.
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`body[data-opened-item="${order[1]!.itemId}"][data-opened-role="sharp"]`);
      await page.keyboard.press('Escape');
      await page.waitForSelector('body[data-opened-item=""]');
      expect(new URL(page.url()).hash).toBe('');
      expect(problems).toEqual([]);
      await closePages();
    });

    it('follows nextCursor page by page, and "Load more" fetches the rest', async () => {
      // Shrink the viewer's page size to 1 on the way to the real API, so three items take three pages.
      const { page, problems } = await openViewer('', (page) =>
        page.route('**/api/items?*', (route) => {
          const url = new URL(route.request().url());
          url.searchParams.set('limit', '1');
          return route.continue({ url: url.href });
        }),
      );
      // Two pages per load: two panels and a Load more button.
      await page.waitForSelector('body[data-panels="2"]');
      expect(await page.locator('#more').isVisible()).toBe(true);
      await page.locator('#more').click();
      await page.waitForSelector('body[data-panels="3"]');
      await page.waitForSelector('#more', { state: 'hidden' });
      const coverage = await hueCoverage(await canvasShot(page), hues);
      for (const image of images) expect(coverage[image.name].pixels, `${image.name} after Load more`).toBeGreaterThan(5000);
      expect(problems).toEqual([]);
      await closePages();
    });

    it('opens a deep link to an item beyond the loaded pages by id, and explains an unknown id', async () => {
      const onePerPage = (page: Page) =>
        page.route('**/api/items?*', (route) => {
          const url = new URL(route.request().url());
          url.searchParams.set('limit', '1');
          return route.continue({ url: url.href });
        });
      const last = order[2]!;
      const { page, problems } = await openViewer(`#item=${last.itemId}`, onePerPage);
      await page.waitForSelector('body[data-panels="2"]');
      await page.waitForSelector(`body[data-opened-item="${last.itemId}"][data-opened-role="sharp"]`);
      const lastName = images.find((image) => `uploads/${image.name}.png` === last.source.key)!.name;
      expect((await hueCoverage(await canvasShot(page), hues))[lastName].fraction).toBeGreaterThan(0.15);

      const unknown = 'f'.repeat(32);
      await page.evaluate((hash) => (location.hash = hash), `#item=${unknown}`);
      await page.waitForFunction(() => document.getElementById('info-text')?.textContent?.includes('Could not open item'));
      expect(await page.locator('#info-text').textContent()).toContain('404');
      // The view follows the hash: nothing stays open under a link to something else.
      await page.waitForSelector('body[data-opened-item=""]');
      expect(problems).toEqual([]);
      await closePages();
    });

    it('enters VR on an emulated headset with WebXR layers: select opens an item in a quad layer, the thumbstick browses, squeeze grabs and moves it or goes back, a hand pinch selects', async () => {
      const { page, problems } = await openViewer('', (page) => installEmulatedHeadset(page, { layers: true }));
      await page.waitForSelector('body[data-panels="3"]');
      expect(await page.locator('#enter-vr').textContent()).toBe('Enter VR');
      await page.locator('#enter-vr').click();
      await page.waitForSelector('body[data-xr="presenting"]');
      await page.waitForTimeout(300);
      const inHeadset = await hueCoverage(await canvasShot(page), hues);
      for (const image of images) expect(inHeadset[image.name].pixels, `${image.name} in the headset view`).toBeGreaterThan(2000);

      // IWER's input: point the right controller straight ahead from eye height, at the middle panel, and pull the trigger.
      await aimController(page, 0, 0);
      const front = order[1]!;
      await pressButton(page, 'trigger');
      await page.waitForSelector(`body[data-opened-item="${front.itemId}"][data-opened-role="sharp"]`);
      // The opened photo is composited into a quad layer, and the compositor shows it.
      await page.waitForSelector('body[data-xr-media="layer"]');
      await page.waitForTimeout(300);
      const frontImage = images.find((image) => `uploads/${image.name}.png` === front.source.key)!;
      const inLayer = await canvasShot(page);
      expect((await hueCoverage(inLayer, hues))[frontImage.name].fraction).toBeGreaterThan(0.1);
      // Straight ahead is the middle of the picture, in its own colour: the layer texture is sRGB-encoded (a linear one
      // would darken the strongest channel by 35 levels); the weaker ones move a little with the lossy layers.
      const middle = await sharp(inLayer).extract({ left: 630, top: 350, width: 20, height: 20 }).removeAlpha().raw().toBuffer();
      const expected = hslToRgb(frontImage.hueDegrees, 0.9, 0.49);
      for (let channel = 0; channel < 3; channel += 1) {
        let sum = 0;
        for (let index = channel; index < middle.length; index += 3) sum += middle[index]!;
        expect(
          Math.abs(sum / (middle.length / 3) - expected[channel]!),
          `channel ${channel} of ${sum / (middle.length / 3)} vs ${expected}`,
        ).toBeLessThan(24);
      }

      // The thumbstick browses: right to the next item, left back.
      await pushThumbstick(page, 1, 0);
      await page.waitForSelector(`body[data-opened-item="${order[2]!.itemId}"]`);
      // It opens straight ahead of the head, not facing its gallery panel off to the right.
      await page.waitForTimeout(300);
      const rightImage = images.find((image) => `uploads/${image.name}.png` === order[2]!.source.key)!;
      const rightBox = (await hueCoverage(await canvasShot(page), hues))[rightImage.name].box!;
      expect(Math.abs((rightBox.left + rightBox.right) / 2 - 640), 'the browsed-to item is centred in the view').toBeLessThan(40);
      await pushThumbstick(page, -1, 0);
      await page.waitForSelector(`body[data-opened-item="${front.itemId}"][data-opened-role="sharp"]`);

      // Squeeze on the panel grabs it: it follows the controller until let go.
      const frontBox = async () => (await hueCoverage(await canvasShot(page), hues))[frontImage.name].box!;
      await page.waitForTimeout(300);
      const before = await frontBox();
      await aimController(page, 0, 0);
      await holdSqueeze(page, 1);
      await page.waitForSelector('body[data-grabbed="true"]');
      await aimController(page, 0, 0, [0.6, 1.6, -0.3]);
      await page.waitForTimeout(300);
      await holdSqueeze(page, 0);
      await page.waitForSelector('body[data-grabbed=""]');
      await page.waitForTimeout(300);
      const after = await frontBox();
      expect((after.left + after.right) / 2 - (before.left + before.right) / 2, 'the grabbed panel moved right').toBeGreaterThan(50);
      expect(await bodyData(page, 'openedItem')).toBe(front.itemId);

      // Squeezing while pointing at nothing (down at the floor) goes back; on the panel it would grab it.
      await aimController(page, 0, -80);
      await pressButton(page, 'squeeze');
      await page.waitForSelector('body[data-opened-item=""]');
      await page.waitForSelector('body[data-xr-media="shader"]');

      // Tracked hands: a pinch selects where the hand points, as the trigger did.
      await useHands(page, true);
      await page.waitForTimeout(200);
      await aimController(page, 0, 0);
      await pinch(page);
      await page.waitForSelector(`body[data-opened-item="${front.itemId}"]`);
      await page.evaluate(() => document.getElementById('enter-vr')?.click());
      await page.waitForSelector('body[data-xr=""]');
      expect(problems).toEqual([]);
      await closePages();
    });
  });
});
