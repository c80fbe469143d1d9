import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { makeJpeg } from '../helpers/testImages.js';
import { launchViewerBrowser, type ViewerBrowser, type ViewerPage } from './viewerBrowser.js';
import { startViewerPipeline, type ViewerPipeline } from './viewerPipeline.js';

const owner = pipelineConfig.access.local.ownerEmail;

/** What a page asked the site for, and what the site refused (403). */
interface Traffic {
  requested: string[];
  refused: string[];
}

function watchTraffic(page: Page): Traffic {
  const traffic: Traffic = { requested: [], refused: [] };
  page.on('request', (request) => traffic.requested.push(request.url()));
  page.on('response', (response) => {
    if (response.status() === 403) traffic.refused.push(response.url());
  });
  return traffic;
}

/**
 * The viewer with sign-in on, in real Chromium against the local pipeline: the local OpenID
 * provider's login form, the auth function's cookies (HttpOnly, as CloudFront's), and the local
 * server's signed-cookie check on items/ and /api/.
 */
describe('viewer with sign-in', () => {
  let served: ViewerPipeline;
  let site: string;
  let providerOrigin: string;
  let ownerBrowser: ViewerBrowser;
  let friendBrowser: ViewerBrowser | undefined;
  let viewer: ViewerPage;
  let traffic: Traffic;
  let firstId: string;
  let secondId: string;
  let shareUrl: string;

  beforeAll(async () => {
    served = await startViewerPipeline('xr-viewer-sign-in', { signIn: {} });
    site = new URL(served.pipeline.viewerUrl).origin;
    providerOrigin = served.pipeline.access!.providerIssuer;
    const [first, second] = await Promise.all([makeJpeg(640, 480, '#a02020'), makeJpeg(480, 640, '#2020a0')]);
    await served.pipeline.upload('uploads/first.jpg', first);
    await served.pipeline.upload('uploads/second.jpg', second);
    await served.pipeline.waitForIdle(120_000);
    [firstId, secondId] = [itemIdForContent(first), itemIdForContent(second)];
    ownerBrowser = await launchViewerBrowser({ siteOrigin: site });
    viewer = await ownerBrowser.newPage();
    traffic = watchTraffic(viewer.page);
  }, 180_000);

  afterAll(async () => {
    await friendBrowser?.close();
    await ownerBrowser?.close();
    await served?.stop();
  });

  /** The local provider's development form: any password signs the name in. */
  async function signInAtForm(page: Page, email: string): Promise<void> {
    await page.waitForSelector('input[name="login"]');
    expect(new URL(page.url()).origin).toBe(providerOrigin);
    await page.fill('input[name="login"]', email);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
  }

  /** The `next` of the viewer's next navigation to sign-in. */
  function nextSignIn(page: Page): Promise<string | null> {
    return page
      .waitForRequest((request) => request.isNavigationRequest() && new URL(request.url()).pathname === '/auth/login')
      .then((request) => new URL(request.url()).searchParams.get('next'));
  }

  const bodyData = (page: Page, name: string) => page.evaluate((key) => document.body.dataset[key] ?? '', name);

  it('sends a visitor without a session to sign-in before asking for anything it would be refused', async () => {
    const next = nextSignIn(viewer.page);
    await viewer.page.goto(served.pipeline.viewerUrl);
    expect(await next).toBe('/');
    await viewer.page.waitForSelector('input[name="login"]');
    expect(new URL(viewer.page.url()).origin).toBe(providerOrigin);
    expect(traffic.refused).toEqual([]);
    expect(traffic.requested.filter((url) => url.startsWith(`${site}/api/`) || url.startsWith(`${site}/items/`))).toEqual([]);
  });

  it('signs the owner in and comes back to the gallery, with Sign out', async () => {
    await signInAtForm(viewer.page, owner);
    await viewer.page.waitForSelector('body[data-session="owner"][data-panels="2"]');
    expect(viewer.page.url()).toBe(`${site}/`);
    expect(await viewer.page.locator('#sign-out').isVisible()).toBe(true);
    // Share is for an open item only.
    expect(await viewer.page.locator('#share').isVisible()).toBe(false);
    expect(viewer.problems).toEqual([]);
  });

  it('shares the open item: the link opens that item alone in a fresh browser, with nothing refused', async () => {
    const { page } = viewer;
    await page.evaluate((hash) => (location.hash = hash), `#item=${firstId}`);
    await page.waitForSelector(`body[data-opened-item="${firstId}"][data-opened-role="sharp"][data-neighbours="1"]`);
    await page.click('#share');
    await page.waitForSelector('#share-url', { state: 'visible' });
    shareUrl = await page.inputValue('#share-url');
    expect(shareUrl.startsWith(`${site}/auth/share?`)).toBe(true);
    expect(await page.locator('#share-text').textContent()).toMatch(/^Anyone with this link sees this item until \S/);
    await ownerBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site });
    await page.click('#share-copy');
    await page.waitForSelector('#share-copy:text("Copied")');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl);

    friendBrowser = await launchViewerBrowser({ siteOrigin: site });
    const friend = await friendBrowser.newPage();
    const friendTraffic = watchTraffic(friend.page);
    await friend.page.goto(shareUrl);
    await friend.page.waitForSelector(`body[data-session="share"][data-opened-item="${firstId}"][data-opened-role="sharp"]`);
    expect(friend.page.url()).toBe(`${site}/#item=${firstId}`);
    expect(await friend.page.locator('#access-notice').textContent()).toMatch(/^Shared item · link expires \S/);
    expect(await friend.page.locator('#help').textContent()).not.toContain('search');
    expect(await bodyData(friend.page, 'neighbours')).toBe('0');
    expect(await friend.page.locator('#share').isVisible()).toBe(false);
    expect(await friend.page.locator('#sign-out').isVisible()).toBe(false);
    expect(friendTraffic.refused).toEqual([]);
    expect(friendTraffic.requested.filter((url) => url.startsWith(`${site}/api/`))).toEqual([]);
    expect(friendTraffic.requested.filter((url) => new URL(url).pathname.startsWith('/auth/login'))).toEqual([]);
    expect(friend.problems).toEqual([]);
  });

  it('sends the owner to sign-in when the session ends mid-use, and back to where they were', async () => {
    const { page } = viewer;
    await ownerBrowser.context.clearCookies();
    const next = nextSignIn(page);
    await page.evaluate((hash) => (location.hash = hash), `#item=${secondId}`);
    expect(await next).toBe(`/#item=${secondId}`);
    await signInAtForm(page, owner);
    await page.waitForSelector(`body[data-session="owner"][data-opened-item="${secondId}"][data-opened-role="sharp"]`);
    expect(page.url()).toBe(`${site}/#item=${secondId}`);
    expect(viewer.problems).toEqual([]);
  });

  it('signs out: the site refuses the viewer, and a reload goes to sign-in again', async () => {
    const { page } = viewer;
    await page.click('#sign-out');
    await page.waitForURL(`${site}/auth/signed-out`);
    expect(await page.locator('h1').textContent()).toBe('Signed out');
    expect(await page.evaluate(() => fetch('/api/items').then((response) => response.status))).toBe(403);
    const session = page.waitForResponse((response) => new URL(response.url()).pathname === '/auth/session');
    const next = nextSignIn(page);
    await page.goto(served.pipeline.viewerUrl);
    expect((await session).status()).toBe(401);
    expect(await next).toBe('/');
    // Sign-out ended the provider's session too (as Cognito's /logout does): it asks again.
    await page.waitForSelector('input[name="password"]');
  });
});
