import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ItemsPage } from '../../functions/domain/items/types.js';
import { launchViewerBrowser, type ViewerBrowser } from './viewerBrowser.js';
import { startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

describe('scratch', () => {
  let served: ViewerPipeline;
  let browser: ViewerBrowser;
  beforeAll(async () => {
    served = await startViewerPipeline('scratch');
    const p = served.pipeline;
    await p.upload('uploads/big.jpg', await sharp({ create: { width: 3600, height: 2400, channels: 3, background: '#c84' } }).jpeg().toBuffer(), 'image/jpeg');
    await p.upload('uploads/small.jpg', await sharp({ create: { width: 451, height: 300, channels: 3, background: '#48c' } }).jpeg().toBuffer(), 'image/jpeg');
    await p.upload('uploads/tall.jpg', await sharp({ create: { width: 1600, height: 2400, channels: 3, background: '#4c8' } }).jpeg().toBuffer(), 'image/jpeg');
    await p.waitForIdle(120_000);
    browser = await launchViewerBrowser();
  }, 200_000);
  afterAll(async () => { await browser?.close(); await served?.stop(); });
  it('shots', async () => {
    const items = ((await (await fetch(new URL('api/items', served.pipeline.viewerUrl))).json()) as ItemsPage).items;
    const { page } = await browser.newPage();
    for (const size of [{ width: 1280, height: 800 }, { width: 800, height: 1280 }]) {
      await page.setViewportSize(size);
      for (const item of items) {
        await page.goto(`${served.pipeline.viewerUrl}#item=${item.itemId}`);
        await page.waitForSelector(`body[data-opened-item="${item.itemId}"][data-opened-role="sharp"]`);
        await page.waitForSelector('body[data-neighbours]:not([data-neighbours=""])');
        await page.waitForTimeout(1500);
        const d = await page.evaluate(() => ({ ...document.body.dataset }));
        console.log(size.width, item.source.key, d.openedRect, d.neighbourRect, d.openedScale, d.openedPpd, d.openedProfile);
        await writeFile(`/tmp/shot-${size.width}-${item.source.key.split('/')[1]}.png`, await page.screenshot());
      }
    }
  }, 200_000);
});
