import { Group, Vector3, type Object3D } from 'three';
import type { DisplayProfile } from '../../functions/domain/foveate/index.js';
import type { ItemManifest } from '../../functions/domain/items/types.js';
import type { Gaze } from './foveated/GazeTracker.js';
import { gazeInItemFrame } from './foveated/gazeInItemFrame.js';
import type { MediaView } from './media/MediaView.js';

/**
 * The opened item's frame: its origin at the eye that opened it, -Z turned
 * (about the vertical only, so panels stay upright) toward where it was
 * opened. The media view draws its surface in this frame at the angles the
 * layers were planned for; grabbing moves the whole frame.
 */
export class OpenedItem {
  readonly object = new Group();
  /**
   * Holds the media view, scaled in x and y about the eye (z kept): a flat
   * panel drawn `scale` times its planned tangents, smaller or larger than
   * planned, at the same distance, and on a desktop lifted in its plane to
   * make room for the row under it. The layers are still chosen in the
   * planned surface's degrees: the gaze is taken in this frame and the
   * display's PPD multiplied by the scale.
   */
  private readonly shown = new Group();
  private view: MediaView | undefined;
  private current: ItemManifest | undefined;

  constructor() {
    this.object.visible = false;
    this.object.add(this.shown);
  }

  /** Shown tangents ÷ planned ones: 1 for a sphere and for what is not yet laid out. */
  get scale(): number {
    return this.shown.scale.x;
  }

  /**
   * Draws a flat panel `scale` times its planned size, its centre `liftMeters` above straight ahead in its
   * plane (a sphere around the user keeps its own size and place).
   */
  setScale(scale: number, liftMeters = 0): void {
    if (!this.movable || !(scale > 0)) return;
    if (scale === this.scale && liftMeters === this.shown.position.y) return;
    this.shown.scale.set(scale, scale, 1);
    this.shown.position.y = liftMeters;
    this.object.updateMatrixWorld(true);
  }

  /** The shown frame: the media view's world matrix, scale included (for projecting what is drawn). */
  get shownFrame(): Object3D {
    return this.shown;
  }

  get item(): ItemManifest | undefined {
    return this.current;
  }

  get media(): MediaView | undefined {
    return this.view;
  }

  /** A flat panel can be grabbed and moved; a sphere around the user stays put. */
  get movable(): boolean {
    return this.view?.surface.projection === 'flat';
  }

  open(item: ItemManifest, view: MediaView, eye: Vector3, direction: Vector3): void {
    this.close();
    this.current = item;
    this.view = view;
    const horizontal = new Vector3(direction.x, 0, direction.z);
    if (horizontal.lengthSq() < 1e-9) horizontal.set(0, 0, -1);
    horizontal.normalize();
    this.object.position.copy(eye);
    this.object.rotation.set(0, Math.atan2(-horizontal.x, -horizontal.z), 0);
    this.shown.scale.set(1, 1, 1);
    this.shown.position.set(0, 0, 0);
    this.shown.add(view.object);
    this.object.visible = true;
    this.object.updateMatrixWorld(true);
  }

  /** Replaces the record (e.g. 'rendering' became 'ready'), keeping what is drawn. */
  refresh(item: ItemManifest): void {
    if (item.itemId !== this.current?.itemId) return;
    this.current = item;
    this.view?.setItem(item);
  }

  close(): void {
    if (this.view) {
      this.shown.remove(this.view.object);
      this.view.dispose();
    }
    this.view = undefined;
    this.current = undefined;
    this.object.visible = false;
  }

  update(nowMs: number, gaze: Gaze, display: DisplayProfile): void {
    const view = this.view;
    if (!view) return;
    this.object.updateMatrixWorld();
    const scale = this.scale;
    const shownDisplay =
      scale === 1
        ? display
        : { ...display, ppd: display.ppd * scale, ...(display.averagePpd ? { averagePpd: display.averagePpd * scale } : {}) };
    view.update(nowMs, gazeInItemFrame(gaze.ray, this.shown, view.surface, view.distanceMeters), shownDisplay, gaze.source === 'eyes');
  }

  pickables(): Object3D[] {
    return this.view?.pickables() ?? [];
  }
}
