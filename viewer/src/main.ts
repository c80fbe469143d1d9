/**
 * Viewer v0. What you see: every item as a panel showing its thumbnail, in
 * rows on a cylinder around you at eye height, so in a headset each one faces
 * you at the same distance. Drag to look around, arrow keys or WASD to move
 * the selection, click or Enter to open an item large (its 'preview'
 * rendition), Escape to go back. `#item=<itemId>` opens that item directly.
 * In a headset ("Enter VR"), a controller's ray picks panels with select;
 * squeeze goes back.
 *
 * The page draws a frame only when something changed (and every frame in
 * VR), so an idle gallery costs nothing.
 */
import {
  Color,
  GridHelper,
  PerspectiveCamera,
  Raycaster,
  Scene,
  TextureLoader,
  Timer,
  Vector2,
  Vector3,
  WebGLRenderer,
  type Intersection,
  type Object3D,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { VRButton } from 'three/addons/webxr/VRButton.js';
import type { ItemManifest } from '../../functions/items/types.js';
import { CameraAim } from './CameraAim.js';
import { fetchItem } from './fetchItem.js';
import { fetchItems } from './fetchItems.js';
import { Gallery } from './Gallery.js';
import { itemHash } from './itemHash.js';
import type { BrowseDirection } from './neighbourPanel.js';
import { OpenedItem } from './OpenedItem.js';
import { publishViewerState, type ViewerState } from './publishViewerState.js';
import { StatusOverlay } from './StatusOverlay.js';
import { XrControllers, type ControllerEvent } from './XrControllers.js';

const eyeHeightMeters = 1.6;
const backgroundColor = 0x111418;
/** Items per API request, and requests per load (initial load and each "Load more"). */
const pageSize = 50;
const pagesPerLoad = 2;
/** A press that moves less than this is a click, not a drag. */
const clickSlopPx = 6;
const maxTextureAnisotropy = 8;

const keyDirections: Record<string, BrowseDirection> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  KeyA: 'left',
  KeyD: 'right',
  KeyW: 'up',
  KeyS: 'down',
};

let renderer: WebGLRenderer;
let scene: Scene;
let camera: PerspectiveCamera;
let controls: OrbitControls;
let cameraAim: CameraAim;
let xrControllers: XrControllers;
let overlay: StatusOverlay;
const gallery = new Gallery();
const opened = new OpenedItem();
const textureLoader = new TextureLoader();
const timer = new Timer();
const raycaster = new Raycaster();
const pointerDown = new Vector2();
let anisotropy = 1;
let needsRender = true;
let stateAfterRender: Partial<ViewerState> | undefined;
let nextCursor: string | undefined;
let loadingMore = false;
let thumbsLoaded = 0;
let thumbsFailed = 0;
let openRequest = 0;

init();

function init(): void {
  overlay = new StatusOverlay({ onBack: closeItem, onMore: () => void loadMore() });
  try {
    renderer = new WebGLRenderer({ antialias: true });
  } catch (error) {
    overlay.error(`This browser cannot draw 3D (WebGL): ${error instanceof Error ? error.message : String(error)}`);
    publishViewerState({ state: 'error' });
    return;
  }
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.setSize(window.innerWidth, window.innerHeight);
  renderer.xr.enabled = true;
  anisotropy = Math.min(maxTextureAnisotropy, renderer.capabilities.getMaxAnisotropy());
  document.body.prepend(renderer.domElement);

  scene = new Scene();
  scene.background = new Color(backgroundColor);
  scene.add(new GridHelper(20, 40, 0x2c3036, 0x1d2126), gallery.object, opened.object);

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

  document.body.appendChild(VRButton.createButton(renderer));
  xrControllers = new XrControllers(renderer, onControllerEvent, pickables);
  scene.add(...xrControllers.controllers);
  renderer.xr.addEventListener('sessionstart', onSessionStart);
  renderer.xr.addEventListener('sessionend', onSessionEnd);

  window.addEventListener('resize', onWindowResize);
  window.addEventListener('keydown', onKeyDown);
  window.addEventListener('hashchange', onHashChange);
  renderer.domElement.addEventListener('pointerdown', onPointerDown);
  renderer.domElement.addEventListener('pointerup', onPointerUp);
  renderer.domElement.addEventListener('pointermove', onPointerMove);

  timer.connect(document);
  renderer.setAnimationLoop(animate);
  void loadGallery();
}

function onWindowResize(): void {
  // While presenting, the headset owns the size; sessionend calls this again.
  if (renderer.xr.isPresenting) return;
  camera.aspect = window.innerWidth / window.innerHeight;
  camera.updateProjectionMatrix();
  renderer.setSize(window.innerWidth, window.innerHeight);
  requestRender();
}

function animate(timestamp: number): void {
  timer.update(timestamp);
  const deltaSeconds = Math.min(timer.getDelta(), 0.1);
  const presenting = renderer.xr.isPresenting;
  let moved = false;
  if (presenting) {
    const hit = xrControllers.update();
    if (hit && !opened.item) selectPanel(gallery.indexOfObject(hit.object), false);
  } else {
    moved = cameraAim.update(deltaSeconds);
    moved = controls.update(deltaSeconds) || moved;
  }
  if (!presenting && !moved && !needsRender) return;
  needsRender = false;
  renderer.render(scene, camera);
  if (stateAfterRender) {
    publishViewerState(stateAfterRender);
    stateAfterRender = undefined;
  }
}

function requestRender(): void {
  needsRender = true;
}

/** Publishes once the next frame, which shows this state, has been drawn. */
function publishAfterRender(state: Partial<ViewerState>): void {
  stateAfterRender = { ...stateAfterRender, ...state };
  requestRender();
}

async function loadGallery(): Promise<void> {
  overlay.loading();
  publishViewerState({ state: 'loading' });
  let page;
  try {
    page = await fetchItems({ pageSize, maxPages: pagesPerLoad });
  } catch (error) {
    overlay.error(`Could not load items: ${describe(error)}. Check that the API is running (npm start locally), then retry.`, () => void loadGallery());
    publishViewerState({ state: 'error' });
    return;
  }
  if (page.items.length === 0) {
    overlay.empty();
    publishAfterRender({ state: 'empty', panels: '0' });
    return;
  }
  overlay.hideMessage();
  nextCursor = page.nextCursor;
  overlay.setMore(nextCursor !== undefined);
  const added = gallery.append(page.items);
  const linked = itemHash.parse(location.hash);
  if (linked) void openItem(linked);
  await loadThumbs(added);
}

async function loadMore(): Promise<void> {
  if (!nextCursor || loadingMore) return;
  loadingMore = true;
  overlay.setMore(true, true);
  try {
    const page = await fetchItems({ pageSize, maxPages: pagesPerLoad, cursor: nextCursor });
    nextCursor = page.nextCursor;
    await loadThumbs(gallery.append(page.items));
  } catch (error) {
    overlay.error(`Could not load more items: ${describe(error)}.`, () => {
      overlay.hideMessage();
      void loadMore();
    });
  } finally {
    loadingMore = false;
    overlay.setMore(nextCursor !== undefined);
  }
}

async function loadThumbs(panels: ReturnType<Gallery['append']>): Promise<void> {
  requestRender();
  const result = await gallery.loadThumbs(panels, textureLoader, anisotropy, requestRender);
  thumbsLoaded += result.loaded;
  thumbsFailed += result.failed;
  publishAfterRender({ state: 'ready', panels: String(thumbsLoaded), panelsFailed: String(thumbsFailed) });
}

function selectPanel(index: number, aim: boolean): void {
  const panel = gallery.panel(index);
  if (!panel) return;
  if (gallery.select(index)) {
    if (!opened.item) overlay.setInfo(describeItem(panel.item), false);
    publishAfterRender({ selectedItem: panel.item.itemId });
  }
  if (aim && !renderer.xr.isPresenting) cameraAim.aimAt(panel.object.getWorldPosition(new Vector3()));
}

/** Opens an item large: from the gallery if loaded, else fetched by id (a deep link to an older item). */
async function openItem(itemId: string): Promise<void> {
  const request = ++openRequest;
  const index = gallery.indexOf(itemId);
  let item: ItemManifest | undefined = gallery.panel(index)?.item;
  if (!item) {
    try {
      item = await fetchItem(itemId);
    } catch (error) {
      if (request !== openRequest) return;
      closeItem();
      overlay.setInfo(`Could not open item ${itemId}: ${describe(error)}`, false);
      return;
    }
    if (request !== openRequest) return;
  }
  history.replaceState(null, '', itemHash.format(itemId));
  if (index >= 0) selectPanel(index, false);

  const eye = camera.getWorldPosition(new Vector3());
  const panel = gallery.panel(index);
  const direction = panel ? panel.object.getWorldPosition(new Vector3()).sub(eye) : camera.getWorldDirection(new Vector3());
  direction.y = 0;
  if (direction.lengthSq() < 1e-6) direction.set(0, 0, -1);
  gallery.setDimmed(true);
  overlay.setInfo(describeItem(item), true);
  publishViewerState({ openedItem: '', openedRole: '' });
  const shown = opened.open(item, eye, direction, panel?.thumbTexture, textureLoader, anisotropy);
  if (!renderer.xr.isPresenting) cameraAim.aimAt(opened.object.position);
  requestRender();
  const role = await shown;
  if (role !== undefined && request === openRequest) publishAfterRender({ openedItem: itemId, openedRole: role });
}

function closeItem(): void {
  openRequest += 1;
  if (!opened.item && !itemHash.parse(location.hash)) return;
  opened.close();
  gallery.setDimmed(false);
  history.replaceState(null, '', location.pathname + location.search);
  const selected = gallery.panel(gallery.selectedIndex);
  overlay.setInfo(selected ? describeItem(selected.item) : '', false);
  publishAfterRender({ openedItem: '', openedRole: '' });
}

function browse(direction: BrowseDirection): void {
  if (gallery.count === 0) return;
  if (opened.item) {
    const index = gallery.indexOf(opened.item.itemId);
    if (index < 0 || direction === 'up' || direction === 'down') return;
    const next = gallery.neighbour(index, direction);
    const panel = gallery.panel(next);
    if (next !== index && panel) void openItem(panel.item.itemId);
    return;
  }
  // The first key press picks what is in front of you; later ones move from there.
  const current = gallery.selectedIndex;
  const next =
    current < 0
      ? gallery.nearestTo(camera.getWorldPosition(new Vector3()), camera.getWorldDirection(new Vector3()))
      : gallery.neighbour(current, direction);
  selectPanel(next, true);
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const direction = keyDirections[event.code];
  if (direction) {
    event.preventDefault();
    browse(direction);
  } else if (event.key === 'Escape') {
    closeItem();
  } else if ((event.key === 'Enter' || event.key === ' ') && !(event.target instanceof HTMLButtonElement)) {
    event.preventDefault();
    const selected = gallery.panel(gallery.selectedIndex);
    if (selected && !opened.item) void openItem(selected.item.itemId);
  }
}

function onHashChange(): void {
  const itemId = itemHash.parse(location.hash);
  if (itemId && itemId !== opened.item?.itemId) void openItem(itemId);
  else if (!itemId && opened.item) closeItem();
}

function onPointerDown(event: PointerEvent): void {
  pointerDown.set(event.clientX, event.clientY);
}

function onPointerUp(event: PointerEvent): void {
  if (event.button !== 0 || pointerDown.distanceTo(new Vector2(event.clientX, event.clientY)) > clickSlopPx) return;
  const hit = pickAt(event);
  const index = hit ? gallery.indexOfObject(hit.object) : -1;
  const panel = gallery.panel(index);
  if (panel && panel.item.itemId !== opened.item?.itemId) void openItem(panel.item.itemId);
  else if (!hit && opened.item) closeItem();
}

function onPointerMove(event: PointerEvent): void {
  if (event.buttons !== 0) return;
  const hit = pickAt(event);
  renderer.domElement.style.cursor = hit ? 'pointer' : 'grab';
  if (hit && !opened.item) selectPanel(gallery.indexOfObject(hit.object), false);
}

function onControllerEvent(event: ControllerEvent, hit: Intersection | undefined): void {
  const panel = hit ? gallery.panel(gallery.indexOfObject(hit.object)) : undefined;
  if (event === 'select' && panel && panel.item.itemId !== opened.item?.itemId) void openItem(panel.item.itemId);
  else if (opened.item) closeItem();
}

function onSessionStart(): void {
  controls.enabled = false;
  cameraAim.cancel();
  publishViewerState({ xr: 'presenting' });
}

function onSessionEnd(): void {
  camera.position.set(0, eyeHeightMeters, 0.01);
  controls.target.set(0, eyeHeightMeters, 0);
  controls.enabled = true;
  controls.update();
  onWindowResize();
  publishViewerState({ xr: '' });
}

/** What a ray can hit: the gallery, and the opened item while one is open. */
function pickables(): Object3D[] {
  return opened.item ? [opened.picture, ...gallery.pickables] : gallery.pickables;
}

function pickAt(event: PointerEvent): Intersection | undefined {
  const rect = renderer.domElement.getBoundingClientRect();
  const ndc = new Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
  raycaster.setFromCamera(ndc, camera);
  return raycaster.intersectObjects(pickables(), false)[0];
}

function describeItem(item: ItemManifest): string {
  const name = item.source.key.split('/').pop() ?? item.itemId;
  const index = gallery.indexOf(item.itemId);
  const position = index >= 0 ? ` · ${index + 1} of ${gallery.count}${nextCursor ? '+' : ''}` : '';
  return `${name} · ${item.widthPx}×${item.heightPx}${position}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
