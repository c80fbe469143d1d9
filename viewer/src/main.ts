/**
 * The viewer. What you see: every item as a panel showing its base layer,
 * in rows on a cylinder around you at eye height. Open one and it becomes
 * the surface it was planned for (a 90° panel, or a sphere around you for
 * a 360° image), drawn from its foveated layers: the base at once, then
 * the tiles where you look, as sharp as the display's measured PPD can
 * show. Drag to look around, arrow keys or WASD to browse, click or Enter
 * to open, Escape to go back; `#item=<itemId>` opens that item directly. In
 * a headset ("Enter VR"): point and select, squeeze to grab and move a
 * panel, thumbstick to browse.
 *
 * With sign-in on, it first asks who this is (GET /auth/session): someone
 * without a session goes to sign-in and comes back here; the owner gets the
 * gallery, with Share and Sign out; a share link's holder gets its one item.
 *
 * This file only wires: start, init, resize, animate. The page draws a frame only
 * when something changed (and every frame in VR), so an idle gallery costs
 * nothing.
 */
import { Color, GridHelper, MathUtils, PerspectiveCamera, Scene, Timer, WebGLRenderer, type Object3D } from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { AccessBar } from './access/AccessBar.js';
import { fetchSession } from './access/fetchSession.js';
import type { ViewerSession } from './access/parseSession.js';
import { SessionGuard } from './access/SessionGuard.js';
import { retryingFetch } from './retryingFetch.js';
import { signInUrl } from './access/signInUrl.js';
import { AfterRender } from './AfterRender.js';
import { CameraAim } from './CameraAim.js';
import { errorMessage } from './errorMessage.js';
import { GazeTracker } from './foveated/GazeTracker.js';
import { ManifestCache } from './foveated/ManifestCache.js';
import { TileTextureLoader } from './foveated/TileTextureLoader.js';
import { Gallery } from './Gallery.js';
import { GalleryLoader } from './GalleryLoader.js';
import { DesktopInput } from './input/DesktopInput.js';
import { listenForDroppedImages } from './input/listenForDroppedImages.js';
import { ItemBrowser } from './ItemBrowser.js';
import { itemHash } from './itemHash.js';
import { publishViewerState } from './publishViewerState.js';
import { RejectedStrip } from './RejectedStrip.js';
import { StatusOverlay } from './StatusOverlay.js';
import { viewerSettings } from './viewerSettings.js';
import { DisplayMonitor } from './xr/DisplayMonitor.js';
import { createEnterVrButton } from './xr/EnterVrButton.js';
import { MediaLayerPresenter } from './xr/MediaLayerPresenter.js';
import { XrInput } from './xr/XrInput.js';

const eyeHeightMeters = 1.6;
const backgroundColor = 0x111418;
const maxTextureAnisotropy = 8;

let renderer: WebGLRenderer;
let scene: Scene;
let camera: PerspectiveCamera;
let controls: OrbitControls;
let cameraAim: CameraAim;
let xrInput: XrInput;
let display: DisplayMonitor;
let gaze: GazeTracker;
let browser: ItemBrowser;
let galleryLoader: GalleryLoader;
let mediaLayers: MediaLayerPresenter;
const timer = new Timer();
const after = new AfterRender(requestRender);
let needsRender = true;
/** The browser's fetch, always called unbound: called as `deps.fetch(...)` it would get `deps` as `this`, an illegal invocation. */
const networkFetch: typeof fetch = retryingFetch((input, init) => fetch(input, init));
const navigate = (url: string) => location.assign(url);

void start();

async function start(): Promise<void> {
  const overlay = new StatusOverlay({ onBack: () => browser.closeItem(), onMore: () => void galleryLoader.loadMore() });
  const session = await fetchSession(networkFetch);
  publishViewerState({ session: session.mode });
  if (session.mode !== 'signed-out') return init(session, overlay);
  // A visit without a session lands on sign-in, never on an empty scene, and comes back to this URL.
  overlay.loading('Signing in…');
  navigate(signInUrl(session.signInUrl, location));
}

function init(session: ViewerSession, overlay: StatusOverlay): void {
  try {
    renderer = new WebGLRenderer({ antialias: true });
  } catch (error) {
    overlay.error(`This browser cannot draw 3D (WebGL): ${errorMessage(error)}`);
    publishViewerState({ state: 'error' });
    return;
  }
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.setSize(window.innerWidth, window.innerHeight);
  renderer.xr.enabled = true;
  document.body.prepend(renderer.domElement);
  const guard = new SessionGuard({
    session,
    fetch: networkFetch,
    askSession: () => fetchSession(networkFetch),
    location,
    navigate,
    onSigningIn: () => overlay.loading('Your sign-in has ended · signing in again…'),
  });
  const access = new AccessBar(session, { fetch: guard.fetch, navigate });
  const loader = new TileTextureLoader(Math.min(maxTextureAnisotropy, renderer.capabilities.getMaxAnisotropy()), guard.fetch);

  // Look-around: orbit a target at the eye from 1 cm away; a negative speed drags the world, not the camera.
  camera = new PerspectiveCamera(60, window.innerWidth / window.innerHeight, 0.05, 100);
  camera.position.set(0, eyeHeightMeters, 0.01);
  controls = new OrbitControls(camera, renderer.domElement);
  controls.target.set(0, eyeHeightMeters, 0);
  controls.enableZoom = false;
  controls.enablePan = false;
  controls.enableDamping = true;
  controls.rotateSpeed = -0.35;
  controls.update();
  cameraAim = new CameraAim(camera, controls);
  controls.addEventListener('start', () => cameraAim.cancel());
  controls.addEventListener('change', requestRender);

  const gallery = new Gallery();
  const rejected = new RejectedStrip();
  display = new DisplayMonitor(renderer);
  gaze = new GazeTracker(renderer);
  galleryLoader = new GalleryLoader({
    gallery,
    rejected,
    eyeHeightMeters,
    overlay,
    loader,
    after,
    ...viewerSettings.gallery,
    fetch: guard.fetch,
    requestRender,
    onFirstPage: () => {
      const linked = itemHash.parse(location.hash);
      if (linked) void browser.openItem(linked);
    },
  });
  const grid = new GridHelper(20, 40, 0x2c3036, 0x1d2126);
  browser = new ItemBrowser({
    renderer,
    camera,
    cameraAim,
    gallery,
    rejected,
    scenery: grid,
    overlay,
    loader,
    manifests: new ManifestCache(guard.fetch),
    settings: viewerSettings,
    after,
    requestRender,
    hasMorePages: () => galleryLoader.hasMore,
    fetch: guard.fetch,
    scope: session.mode === 'share' ? 'shared-item' : 'catalog',
    onOpenedChange: (itemId) => access.setOpenedItem(itemId),
    display: () => display.current(camera, performance.now()),
    eyeHeightMeters,
  });

  scene = new Scene();
  scene.background = new Color(backgroundColor);
  scene.add(grid, gallery.object, rejected.object, browser.opened.object, browser.searchResults.object);
  mediaLayers = new MediaLayerPresenter(renderer, scene, viewerSettings);

  document.body.appendChild(
    createEnterVrButton(renderer, {
      optionalFeatures: ['local-floor', 'hand-tracking', 'layers', 'eye-tracking'],
      maxFramebufferScale: viewerSettings.xr.maxFramebufferScale,
      onScale: (scale) => display.setXrScale(scale),
    }),
  );
  xrInput = new XrInput(renderer, xrHandlers(), pickables, viewerSettings.xr);
  scene.add(...xrInput.objects);
  renderer.xr.addEventListener('sessionstart', onSessionStart);
  renderer.xr.addEventListener('sessionend', onSessionEnd);

  new DesktopInput(renderer.domElement, camera, pickables, {
    onBrowse: (direction) => browser.browse(direction),
    onActivate: () => browser.activate(),
    onBack: () => browser.closeItem(),
    onSeek: (direction) => browser.seek(direction),
    onTogglePlay: () => browser.togglePlay(),
    onClick: (hit) => browser.pick(hit),
    onHover: (hit) => browser.hover(hit),
    onZoom: (steps) => browser.placement.zoomBy(steps),
    onFit: () => browser.placement.fitToWindow(),
  });
  window.addEventListener('resize', onWindowResize);
  window.addEventListener('hashchange', () => browser.followHash());

  timer.connect(document);
  renderer.setAnimationLoop(animate);
  if (session.mode === 'share') {
    // The API is closed to a share link: no catalog, no search, just the item.
    overlay.hideMessage();
    void browser.openItem(session.itemId);
  } else {
    listenForDroppedImages((image) => void browser.search(image));
    void galleryLoader.load();
  }
}

function xrHandlers(): ConstructorParameters<typeof XrInput>[1] {
  return {
    onSelect: (hit) => browser.pick(hit),
    onSqueezeStart: (hit, controller) => {
      const onOpened = hit && browser.opened.pickables().includes(hit.object);
      if (onOpened && browser.opened.movable) {
        controller.attach(browser.opened.object);
        publishViewerState({ grabbed: 'true' });
      } else if (browser.opened.item) browser.closeItem();
    },
    onSqueezeEnd: (controller) => {
      if (browser.opened.object.parent !== controller) return;
      scene.attach(browser.opened.object);
      publishViewerState({ grabbed: '' });
    },
    onThumbstick: (direction) => browser.browse(direction),
  };
}

function onWindowResize(): void {
  // While presenting, the headset owns the size; sessionend calls this again.
  if (renderer.xr.isPresenting) return;
  camera.aspect = window.innerWidth / window.innerHeight;
  camera.updateProjectionMatrix();
  renderer.setSize(window.innerWidth, window.innerHeight);
  display.invalidateDesktop();
  browser.placement.layOut(true);
  requestRender();
}

function animate(timestamp: number): void {
  timer.update(timestamp);
  const deltaSeconds = Math.min(timer.getDelta(), 0.1);
  const presenting = renderer.xr.isPresenting;
  let moved = false;
  if (presenting) {
    browser.hover(xrInput.update());
  } else {
    clampLookPitch();
    moved = cameraAim.update(deltaSeconds);
    moved = controls.update(deltaSeconds) || moved;
  }
  const now = performance.now();
  const measured = display.current(camera, now);
  browser.opened.update(now, gaze.current(camera), measured);
  if (presenting) {
    browser.placement.fitToHeadset();
    resyncGlState();
    const drawnBy = mediaLayers.update(browser.opened, measured);
    if (document.body.dataset.xrMedia !== drawnBy) publishViewerState({ xrMedia: drawnBy });
  }
  if (!presenting && !moved && !needsRender) return;
  needsRender = false;
  renderer.render(scene, camera);
  browser.placement.publishPlacement();
  after.flush();
}

/** The view turns up and down only as far as there is something to see (OrbitControls' polar angle is 90° + pitch). */
function clampLookPitch(): void {
  const [lowest, highest] = browser.placement.lookPitchRangeDeg();
  controls.minPolarAngle = MathUtils.degToRad(Math.max(1, 90 + lowest));
  controls.maxPolarAngle = MathUtils.degToRad(Math.min(179, 90 + highest));
}

/**
 * A layers implementation may draw with our context after each frame callback (the WebXR Layers
 * polyfill composites then, and leaves no vertex array bound): three.js's cached GL state is stale
 * by the next frame. Forget it, keeping the XR render target three.js set for this frame.
 */
function resyncGlState(): void {
  const target = renderer.getRenderTarget();
  renderer.resetState();
  renderer.setRenderTarget(target);
}

function requestRender(): void {
  needsRender = true;
}

function onSessionStart(): void {
  controls.enabled = false;
  cameraAim.cancel();
  publishViewerState({ xr: 'presenting' });
}

function onSessionEnd(): void {
  mediaLayers.remove();
  camera.position.set(0, eyeHeightMeters, 0.01);
  controls.target.set(0, eyeHeightMeters, 0);
  controls.enabled = true;
  controls.update();
  onWindowResize();
  publishViewerState({ xr: '' });
}

function pickables(): Object3D[] {
  return browser.pickables();
}
