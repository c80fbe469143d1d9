import { Mesh, Vector2, Vector3, type PerspectiveCamera, type WebGLRenderer } from 'three';
import { panelSurface, sourceFillHalfTan, type DisplayProfile } from '../../functions/domain/foveate/index.js';
import type { CameraAim } from './CameraAim.js';
import type { Gallery } from './Gallery.js';
import type { SimilarStrip, StripPlacement } from './neighbours/SimilarStrip.js';
import type { OpenedItem } from './OpenedItem.js';
import {
  desktopLayoutRules,
  layOutOpened,
  rowCells,
  scaleAtDevicePxPerSourcePx,
  type DesktopView,
  type OpenedLayout,
} from './openedLayout.js';
import { publishViewerState } from './publishViewerState.js';
import type { ViewerSettings } from './viewerSettings.js';

export interface OpenedPlacementDeps {
  opened: OpenedItem;
  /** The opened item's neighbours' row, in its frame. */
  neighbours: SimilarStrip;
  renderer: WebGLRenderer;
  camera: PerspectiveCamera;
  cameraAim: CameraAim;
  gallery: Gallery;
  settings: ViewerSettings;
  /** The display the layers are chosen for now (DisplayMonitor): in a headset, it sizes the opened panel. */
  display(): DisplayProfile;
  /** The eye's height in the room, for the gallery's pitch range. */
  eyeHeightMeters: number;
  /** Neighbours to make room for (none for a share link's one item). */
  neighbourCount(): number;
  requestRender(): void;
}

/** Neighbours hang this far away, in a row below the opened surface (openedLayout's rowCells). */
const neighbourDistanceMeters = 1.3;
/** In a headset the neighbours hang this far under the panel's bottom edge, within a glance of its centre. */
const headsetRowGapDeg = 8;
const headsetRowPitchDeg: [number, number] = [-65, -20];
/** Inside a sphere (a 360° item) the row is well below the horizon, out of the picture's middle. */
const sphereRowPitchDeg = -40;
/** Each wheel notch, `+` or `-` zooms by this factor. */
const zoomStep = 1.25;
const radians = Math.PI / 180;
const degrees = 180 / Math.PI;

/**
 * How large the opened flat item is drawn and where (docs/viewer.md, "The
 * first look"): fitted to a desktop window with its neighbours' row under
 * it, zoomed, or sized by the rule for a headset's measured PPD; where the
 * view may turn; what the page publishes about it.
 */
export class OpenedPlacement {
  /** Desktop: the opened flat item's fit to the window, and the zoom on top of it (1: fit). */
  private layout: OpenedLayout | undefined;
  private zoom = 1;

  constructor(private readonly deps: OpenedPlacementDeps) {}

  /** A new item, or none: no layout, no zoom. */
  reset(): void {
    this.layout = undefined;
    this.zoom = 1;
  }

  /**
   * Sizes and places the opened flat item for the display (docs/viewer.md, "What you see"). On a desktop it
   * fits the window with its neighbours' row (and a video's seek bar) under it, at most two device pixels
   * per source pixel, then the zoom; `aim` turns the view to it. In a headset: see fitToHeadset.
   */
  layOut(aim: boolean): void {
    const view = this.deps.opened.media;
    const item = this.deps.opened.item;
    if (!view || !item || view.surface.projection !== 'flat') return;
    if (this.deps.renderer.xr.isPresenting) return this.fitToHeadset();
    this.layout = layOutOpened(
      this.desktopView(),
      {
        ...this.plannedTangents(),
        belowTan: (view.belowPanelMeters ?? 0) / view.distanceMeters,
        sourceWidthPx: item.widthPx,
        neighbourCount: this.deps.neighbourCount(),
      },
      { ...desktopLayoutRules, maxScale: this.configuredScale() },
    );
    this.zoom = Math.min(this.zoom, this.maxZoom());
    this.showZoomed();
    if (this.deps.neighbours.count > 0) this.deps.neighbours.rearrange(this.neighbourPlacement());
    // Straight ahead, square to the panel: no keystone.
    if (aim) this.deps.cameraAim.aimAt(this.deps.opened.object.localToWorld(new Vector3(0, 0, -1)));
    this.deps.requestRender();
  }

  /** Desktop: wheel, pinch, `+` and `-` zoom by `steps` (negative: out), from the fit up to one device pixel per source pixel. */
  zoomBy(steps: number): void {
    if (!this.layout || this.deps.renderer.xr.isPresenting) return;
    this.zoom = Math.max(1, Math.min(this.maxZoom(), this.zoom * zoomStep ** steps));
    this.showZoomed();
    this.deps.requestRender();
  }

  /** Zoomed in, the neighbours' row steps aside (it would cover the picture); at the fit it is back. */
  private showZoomed(): void {
    const layout = this.layout!;
    this.deps.opened.setScale(layout.scale * this.zoom, layout.liftTan * this.deps.opened.media!.distanceMeters);
    this.deps.neighbours.object.visible = this.zoom === 1;
  }

  /** `0`: fit the window again, and look at it. */
  fitToWindow(): void {
    this.zoom = 1;
    this.layOut(true);
  }

  /**
   * Headset: the panel subtends the configured angle, or less where the source would be magnified: never
   * more than two display pixels per source pixel at the display's measured PPD (its centre). The planner
   * sized it so for the first configured profile; a coarser display shows a small photo larger, up to the
   * panel's angle, a finer one smaller.
   */
  fitToHeadset(): void {
    const view = this.deps.opened.media;
    const item = this.deps.opened.item;
    if (!view || !item || view.surface.projection !== 'flat') return;
    const fill = sourceFillHalfTan(item.widthPx, this.deps.display().ppd, desktopLayoutRules.maxDevicePxPerSourcePx);
    const scale = Math.min(this.configuredScale(), fill / this.plannedTangents().halfWidthTan);
    const before = this.deps.opened.scale;
    this.layout = undefined;
    this.zoom = 1;
    this.deps.neighbours.object.visible = true;
    this.deps.opened.setScale(scale, 0);
    if (this.deps.opened.scale !== before && this.deps.neighbours.count > 0) this.deps.neighbours.rearrange(this.neighbourPlacement());
  }

  /** Where the view may be turned, in pitch: over the opened item and its row, over a sphere anywhere, else over the gallery. */
  lookPitchRangeDeg(): [number, number] {
    const view = this.deps.opened.media;
    if (view && view.surface.projection !== 'flat') return [-90, 90];
    if (view && this.layout) {
      const { halfHeightTan } = this.plannedTangents();
      const [lift, half] = [this.layout.liftTan, this.deps.opened.scale * halfHeightTan];
      const [bottomDeg, topDeg] = [Math.atan(lift - half) * degrees, Math.atan(lift + half) * degrees];
      return [Math.min(this.layout.contentPitchDeg[0], bottomDeg), Math.max(this.layout.contentPitchDeg[1], topDeg)];
    }
    return this.deps.gallery.pitchRangeDeg(this.deps.eyeHeightMeters) ?? [-30, 30];
  }

  /**
   * After a frame: the angle the opened flat item is shown at, the scale (shown tangents ÷ planned) and
   * the PPD its layers are chosen for; on a desktop where it, a video's seek bar and the first neighbour
   * are on the canvas (CSS pixels, "left,top,width,height"); in a headset how far from where the head
   * looks the farthest neighbour is.
   */
  publishPlacement(): void {
    const view = this.deps.opened.media;
    if (!view || view.surface.projection !== 'flat') return;
    const { halfWidthTan, halfHeightTan } = this.plannedTangents();
    const scale = this.deps.opened.scale;
    const { ppd } = this.deps.display();
    const common = {
      openedScale: scale.toFixed(3),
      openedWidthDeg: (2 * Math.atan(scale * halfWidthTan) * degrees).toFixed(1),
      openedPpd: (ppd * scale).toFixed(1),
      displayPpd: ppd.toFixed(2),
    };
    if (this.deps.renderer.xr.isPresenting) {
      const eye = this.deps.camera.getWorldPosition(new Vector3());
      const ahead = this.deps.camera.getWorldDirection(new Vector3());
      const offsets = this.deps.neighbours.pickables.map((mesh) => mesh.getWorldPosition(new Vector3()).sub(eye).angleTo(ahead) * degrees);
      return publishViewerState({ ...common, neighboursWithinDeg: offsets.length > 0 ? Math.max(...offsets).toFixed(1) : '' });
    }
    const distance = view.distanceMeters;
    const frame = this.deps.opened.shownFrame;
    frame.updateMatrixWorld(true);
    const corners = [-1, 1].flatMap((x) =>
      [-1, 1].map((y) => frame.localToWorld(new Vector3(x * distance * halfWidthTan, y * distance * halfHeightTan, -distance))),
    );
    const seekBar = view.pickables().find((object): object is Mesh => object instanceof Mesh && object.name === 'seek-bar');
    const neighbour = this.deps.neighbours.entries[0]?.mesh;
    publishViewerState({
      ...common,
      openedRect: this.canvasRect(corners),
      seekBarRect: seekBar ? this.canvasRect(boxCorners(seekBar)) : '',
      neighbourRect: neighbour ? this.canvasRect(boxCorners(neighbour)) : '',
    });
  }

  /** Where a mesh is drawn on the canvas now, in CSS pixels: "left,top,width,height" (or 'behind'). */
  canvasRectOf(mesh: Mesh): string {
    return this.canvasRect(boxCorners(mesh));
  }

  private canvasRect(points: readonly Vector3[]): string {
    const canvas = this.deps.renderer.domElement.getBoundingClientRect();
    const projected = points.map((point) => point.clone().project(this.deps.camera));
    if (projected.some((point) => point.z > 1)) return 'behind';
    const xs = projected.map((point) => ((point.x + 1) / 2) * canvas.width);
    const ys = projected.map((point) => ((1 - point.y) / 2) * canvas.height);
    const [left, top] = [Math.min(...xs), Math.min(...ys)];
    return [left, top, Math.max(...xs) - left, Math.max(...ys) - top].map((value) => value.toFixed(1)).join(',');
  }

  /**
   * The configured panel for this item's aspect against the planned one: 1, or more for a small photo
   * planned smaller than the panel (surfaceForImage), which a coarser display may show larger.
   */
  private configuredScale(): number {
    const item = this.deps.opened.item!;
    const { foveation } = this.deps.settings;
    const panel = foveation.surfaces.panel;
    const configured = panelSurface('panel', panel, item.widthPx / item.heightPx);
    return Math.max(1, Math.tan(configured.yawDeg[1] * radians) / this.plannedTangents().halfWidthTan);
  }

  private plannedTangents(): { halfWidthTan: number; halfHeightTan: number } {
    const surface = this.deps.opened.media!.surface;
    return { halfWidthTan: Math.tan(surface.yawDeg[1] * radians), halfHeightTan: Math.tan(surface.pitchDeg[1] * radians) };
  }

  /** The most zoom: one device pixel per source pixel across the panel (never below the fit). */
  private maxZoom(): number {
    const item = this.deps.opened.item;
    if (!this.layout || !item) return 1;
    const fullScale = scaleAtDevicePxPerSourcePx(
      this.desktopView(),
      { halfWidthTan: this.plannedTangents().halfWidthTan, sourceWidthPx: item.widthPx },
      1,
    );
    return Math.max(1, fullScale / this.layout.scale);
  }

  /** The desktop camera and canvas, in device pixels. */
  private desktopView(): DesktopView {
    const { camera, renderer } = this.deps;
    return { verticalFovDeg: camera.fov, aspect: camera.aspect, deviceWidthPx: renderer.getDrawingBufferSize(new Vector2()).x };
  }

  /** The neighbours' row: where the desktop layout reserved it, or in a headset a glance under the panel. */
  neighbourPlacement(): StripPlacement {
    const desktopRow = this.deps.renderer.xr.isPresenting ? undefined : this.layout?.row;
    const row = desktopRow?.stepDeg
      ? desktopRow
      : { ...rowCells(this.deps.neighbourCount(), Infinity), pitchDeg: this.headsetRowPitchDeg() };
    const distance = neighbourDistanceMeters;
    return {
      distanceMeters: distance,
      pitchDeg: row.pitchDeg,
      stepDeg: row.stepDeg,
      cellWidthMeters: 2 * distance * Math.tan((row.cellWidthDeg / 2) * radians),
      cellHeightMeters: 2 * distance * Math.tan((row.cellHeightDeg / 2) * radians),
    };
  }

  /** Outside the desktop layout: a little under the panel's bottom edge, within a glance; in a sphere, well down. */
  private headsetRowPitchDeg(): number {
    if (this.deps.opened.media?.surface.projection !== 'flat') return sphereRowPitchDeg;
    const bottomDeg = -Math.atan(this.deps.opened.scale * this.plannedTangents().halfHeightTan) * degrees;
    const [lowest, highest] = headsetRowPitchDeg;
    return Math.max(lowest, Math.min(highest, bottomDeg - headsetRowGapDeg));
  }
}

/** The corners of a mesh's own bounding box, in world space (a world-aligned box of a turned panel would be larger). */
function boxCorners(mesh: Mesh): Vector3[] {
  mesh.geometry.computeBoundingBox();
  const box = mesh.geometry.boundingBox!;
  mesh.updateWorldMatrix(true, false);
  return [0, 1, 2, 3, 4, 5, 6, 7].map((bits) =>
    mesh.localToWorld(new Vector3(bits & 1 ? box.max.x : box.min.x, bits & 2 ? box.max.y : box.min.y, bits & 4 ? box.max.z : box.min.z)),
  );
}
