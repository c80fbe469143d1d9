import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { pipelineConfig } from '../../functions/config/index.js';
import { viewerContentSecurityPolicy } from '../../lib/viewerContentSecurityPolicy.js';

const chromiumPath = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const iwerBuild = require.resolve('iwer/build/iwer.min.js');
/** Meta's WebXR Layers polyfill, which IWER depends on (its own switch for it is undone by its depth-sensing binding). */
const layersPolyfillBuild = require.resolve('webxr-layers-polyfill/build/webxr-layers-polyfill.js', { paths: [require.resolve('iwer')] });

export interface ViewerBrowser {
  context: BrowserContext;
  /** A new page with the CSP header added to documents and its problems collected. */
  newPage(): Promise<ViewerPage>;
  close(): Promise<void>;
}

export interface ViewerPage {
  page: Page;
  /** Uncaught exceptions, CSP violations and WebGL errors seen so far. */
  problems: string[];
}

/** Chromium's console line for a WebGL error (SwiftShader's "GPU stall due to ReadPixels" performance notes are not errors). */
export function isWebGlError(text: string): boolean {
  return /GL_INVALID|INVALID_(ENUM|VALUE|OPERATION|FRAMEBUFFER)|WebGL: |CONTEXT_LOST/.test(text) && !/Performance/.test(text);
}

export interface ViewerBrowserOptions {
  /**
   * With sign-in on: only this origin's documents get the viewer's CSP, as only CloudFront's responses
   * carry it (a sign-in provider elsewhere sends its own headers), and not the sign-in routes under
   * /auth/, which answer with redirects that set cookies: a document fetched here and fulfilled would
   * be drawn at the redirect's URL, not where the redirect leads. Default: every document.
   */
  siteOrigin?: string;
  /** CSS pixels of the page (default 1280×720) and device pixels per CSS pixel (default 1). */
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
}

/** Headless Chromium (software WebGL) with a fresh temporary profile. */
export async function launchViewerBrowser(options: ViewerBrowserOptions = {}): Promise<ViewerBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'xr-viewer-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
    ],
    viewport: options.viewport ?? { width: 1280, height: 720 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (/content security policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
        if (isWebGlError(message.text())) problems.push(`WebGL: ${message.text()}`);
      });
      await page.route('**/*', async (route) => {
        if (route.request().resourceType() !== 'document' || !getsViewerCsp(new URL(route.request().url()), options))
          return route.fallback();
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': viewerContentSecurityPolicy } });
      });
      return { page, problems };
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

function getsViewerCsp(url: URL, options: ViewerBrowserOptions): boolean {
  if (!options.siteOrigin) return true;
  return url.origin === options.siteOrigin && !url.pathname.startsWith(pipelineConfig.access.routePrefix);
}

/**
 * Before the page's own scripts run, replaces navigator.xr with IWER (Meta's
 * WebXR emulator) posing as a Quest 3, reachable in the page as
 * `window.xrDevice` so a test can move the head and controllers and press
 * buttons. `layers`: then also install Meta's WebXR Layers polyfill (quad,
 * cylinder, equirect and projection layers), as a browser with the
 * 'layers' feature has them.
 */
export async function installEmulatedHeadset(page: Page, options: { layers?: boolean } = {}): Promise<void> {
  await page.addInitScript({ path: iwerBuild });
  if (options.layers) await page.addInitScript({ path: layersPolyfillBuild });
  await page.addInitScript(() => {
    const scope = window as unknown as {
      IWER: { XRDevice: new (config: unknown) => { installRuntime(options: object): void }; metaQuest3: unknown };
      WebXRLayersPolyfill?: new () => unknown;
      xrDevice: unknown;
    };
    const device = new scope.IWER.XRDevice(scope.IWER.metaQuest3);
    device.installRuntime({ forceInstall: true });
    if (scope.WebXRLayersPolyfill) new scope.WebXRLayersPolyfill();
    scope.xrDevice = device;
  });
}
