import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FoveatedManifest } from '../../functions/domain/foveate/index.js';
import type { ItemManifest, ItemsPage } from '../../functions/domain/items/types.js';
import type { LocalPipeline } from '../../local/index.js';
import { rectDistanceDeg } from '../../viewer/src/foveated/rectDistanceDeg.js';
import { selectGazeTiles } from '../../viewer/src/foveated/selectGazeTiles.js';
import { anglesDirection } from '../../viewer/src/foveated/surfaceDirection.js';
import { viewerSettings } from '../../viewer/src/viewerSettings.js';
import { makeEquirectJpeg } from '../helpers/panoramaImages.js';
import { setEyes, setHeadPose } from './emulatedHeadset.js';
import { installEmulatedHeadset, launchViewerBrowser, type ViewerBrowser, type ViewerPage } from './viewerBrowser.js';
import { startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

/**
 * A 360° panorama in an emulated Quest 3 (IWER), with the PPD made real: two
 * eyes, a 600×600 viewport each, under a vertical field of view that gives
 * 26 pixels per degree at the view centre, so the viewer measures Quest-3-like
 * PPD from the XRViews and picks the quest-3 layers. The head turns to 8
 * poses; at each, every full-PPD tile within the fovea radius of the gaze
 * must have been fetched, and no tile far from every pose so far. The XR
 * framebuffer (IWER renders it into the page's canvas) is compared with
 * stored references.
 */

const eyeWidthPx = 600;
const targetPpd = 26;
/** Vertical FOV whose tangent span puts eyeWidthPx pixels over targetPpd degrees per pixel at the axis (square eyes). */
const fovyRadians = 2 * Math.atan(eyeWidthPx / (targetPpd * (180 / Math.PI)) / 2);
const poses = [
  { yawDeg: 0, pitchDeg: 0 },
  { yawDeg: 90, pitchDeg: 0 },
  { yawDeg: 180, pitchDeg: 0 },
  { yawDeg: 270, pitchDeg: 0 },
  { yawDeg: 0, pitchDeg: 60 },
  { yawDeg: 180, pitchDeg: 60 },
  { yawDeg: 90, pitchDeg: -60 },
  { yawDeg: 270, pitchDeg: -60 },
] as const;
const referenceDir = join(import.meta.dirname, 'references');
const updateReferences = process.env.UPDATE_VIEWER_REFERENCES === '1';
/** Mean absolute difference per channel (0-255) allowed against a reference, at the reference's 120×60 size. */
const referenceTolerance = 6;

describe('viewer in an emulated headset, on a 360° panorama', () => {
  let served: ViewerPipeline;
  let pipeline: LocalPipeline;
  let browser: ViewerBrowser;
  let viewer: ViewerPage;
  let item: ItemManifest;
  let manifest: FoveatedManifest;
  const requested: string[] = [];

  beforeAll(async () => {
    served = await startViewerPipeline('xr-viewer-pano');
    pipeline = served.pipeline;
    await pipeline.upload('uploads/pano.jpg', await makeEquirectJpeg(6144, 3072), 'image/jpeg');
    await pipeline.waitForIdle(120_000);
    item = ((await (await fetch(new URL('api/items', pipeline.viewerUrl))).json()) as ItemsPage).items[0]!;
    manifest = (await (await fetch(new URL(item.foveated!.key, pipeline.viewerUrl))).json()) as FoveatedManifest;
    browser = await launchViewerBrowser();
    viewer = await browser.newPage();
    await viewer.page.setViewportSize({ width: 2 * eyeWidthPx, height: eyeWidthPx });
    await installEmulatedHeadset(viewer.page);
    viewer.page.on('requestfinished', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.includes('/preview/foveated/')) requested.push(path);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  const tileOf = (path: string) => path.split('/preview/foveated/')[1]!.replace(/\.\w+$/, '');
  const bodyData = (page: Page, name: string) => page.evaluate((key) => document.body.dataset[key] ?? '', name);

  /** Waits until the viewer has looked at the new pose and drawn every full-PPD tile it needs. */
  async function settle(page: Page): Promise<void> {
    await page.waitForTimeout(3 * viewerSettings.tiles.updateIntervalMs);
    await page.waitForSelector('body[data-foveal-pending="0"]', { timeout: 20_000 });
    await page.waitForTimeout(100);
  }

  it('enters VR, measures Quest-3 PPD from the XR views, and fetches the tiles of each of 8 head poses and only nearby ones', async () => {
    const { page, problems } = viewer;
    await page.goto(`${pipeline.viewerUrl}#item=${item.itemId}`);
    await page.waitForSelector('body[data-opened-role="sharp"]');
    await setEyes(page, fovyRadians, true);
    await page.locator('#enter-vr').click();
    await page.waitForSelector('body[data-xr="presenting"]');
    await setHeadPose(page, 0, 0);
    await page.waitForSelector('body[data-opened-profile="quest-3"]');

    const profile = manifest.profiles.find((candidate) => candidate.id === 'quest-3')!;
    const fullPpd = manifest.layers.find((layer) => layer.name === profile.layers.at(-1))!;
    const visited: ReturnType<typeof anglesDirection>[] = [];
    for (const pose of poses) {
      await setHeadPose(page, pose.yawDeg, pose.pitchDeg);
      await settle(page);
      const gaze = anglesDirection(pose.yawDeg > 180 ? pose.yawDeg - 360 : pose.yawDeg, pose.pitchDeg);
      visited.push(gaze);
      const needed = selectGazeTiles(manifest, profile, gaze).filter((selected) => selected.layer.role === 'tiles');
      const fetched = new Set(requested.map(tileOf));
      const label = `yaw ${pose.yawDeg} pitch ${pose.pitchDeg}`;
      expect(needed.length, label).toBeGreaterThan(0);
      for (const { layer, tile } of needed)
        expect(fetched, `${label}: ${layer.name}/${tile.col}_${tile.row}`).toContain(`${layer.name}/${tile.col}_${tile.row}`);

      await compareWithReference(
        await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 2 * eyeWidthPx, height: eyeWidthPx } }),
        `pano-yaw${pose.yawDeg}-pitch${pose.pitchDeg}`,
      );
    }

    // Only nearby tiles: every full-PPD tile fetched lies within the fovea radius (plus hysteresis) of a pose the head took.
    const reach = profile.foveaRadiusDeg + viewerSettings.tiles.hysteresisDeg;
    const fetchedFull = [...new Set(requested.map(tileOf))].filter((name) => name.startsWith(`${fullPpd.name}/`));
    for (const name of fetchedFull) {
      const [col, row] = name.split('/')[1]!.split('_').map(Number);
      const tile = fullPpd.tiles.find((candidate) => candidate.col === col && candidate.row === row)!;
      const nearest = Math.min(...visited.map((gaze) => rectDistanceDeg(manifest.surface, tile.rect, gaze)));
      expect(nearest, `${name} was fetched ${nearest.toFixed(1)}° from every pose`).toBeLessThanOrEqual(reach);
    }
    expect(fetchedFull.length).toBeLessThan(fullPpd.tiles.length);
    // Textures were given back as the head turned: the decoded peak stays within the budget.
    expect(Number(await bodyData(page, 'textureMbMax'))).toBeLessThanOrEqual(viewerSettings.tiles.textureBudgetMb);
    expect(problems).toEqual([]);
  });
});

/** The canvas must not be blank, and must match the stored reference (written when UPDATE_VIEWER_REFERENCES=1). */
async function compareWithReference(png: Buffer, name: string): Promise<void> {
  const small = await sharp(png).removeAlpha().resize(120, 60, { fit: 'fill' }).raw().toBuffer();
  const stats = await sharp(png).removeAlpha().stats();
  const spread = Math.max(...stats.channels.map((channel) => channel.stdev));
  expect(spread, `${name}: the XR framebuffer is blank`).toBeGreaterThan(8);
  const path = join(referenceDir, `${name}.png`);
  if (updateReferences) {
    await mkdir(referenceDir, { recursive: true });
    await writeFile(
      path,
      await sharp(small, { raw: { width: 120, height: 60, channels: 3 } })
        .png()
        .toBuffer(),
    );
    return;
  }
  const reference = await sharp(await readFile(path))
    .removeAlpha()
    .raw()
    .toBuffer();
  let total = 0;
  for (let index = 0; index < small.length; index += 1) total += Math.abs(small[index]! - reference[index]!);
  expect(total / small.length, `${name}: mean difference from the reference`).toBeLessThanOrEqual(referenceTolerance);
}
