import { Raycaster, Vector2, type Camera, type Intersection, type Object3D } from 'three';
import type { BrowseDirection } from '../neighbourPanel.js';

/** A press that moves less than this is a click or tap, not a drag. */
const clickSlopPx = 6;

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

export interface DesktopInputHandlers {
  onBrowse(direction: BrowseDirection): void;
  /** Enter or Space: open what is selected, or play/pause the opened video. */
  onActivate(): void;
  onBack(): void;
  /** J and L: seek the opened video. */
  onSeek(direction: -1 | 1): void;
  /** K: play/pause the opened video. */
  onTogglePlay(): void;
  /** A click or tap (not a drag) on whatever is under it. */
  onClick(hit: Intersection | undefined): void;
  onHover(hit: Intersection | undefined): void;
  /** Wheel, trackpad pinch, `+` and `-`: zoom by this many steps (negative: out); `0`: fit again. */
  onZoom(steps: number): void;
  onFit(): void;
}

/**
 * Mouse, touch and keyboard on the page. Pointer events cover mouse, pen
 * and touch alike: a press released within a few pixels is a click (a tap
 * on a touch screen), anything longer is the look-around drag that
 * OrbitControls handles.
 */
export class DesktopInput {
  private readonly raycaster = new Raycaster();
  private readonly pressedAt = new Vector2();

  constructor(
    private readonly element: HTMLElement,
    private readonly camera: Camera,
    private readonly pickables: () => Object3D[],
    private readonly handlers: DesktopInputHandlers,
  ) {
    window.addEventListener('keydown', (event) => this.onKeyDown(event));
    element.addEventListener('pointerdown', (event) => this.pressedAt.set(event.clientX, event.clientY));
    element.addEventListener('pointerup', (event) => this.onPointerUp(event));
    element.addEventListener('pointermove', (event) => this.onPointerMove(event));
    // A trackpad pinch arrives as a wheel event with ctrlKey; not passive, so the page itself does not zoom.
    element.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const pixels = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? event.deltaY * 40 : event.deltaY;
    // One notch of a mouse wheel (about 100 px) is one step; a pinch's small deltas add up to the same.
    this.handlers.onZoom(-pixels / (event.ctrlKey ? 25 : 100));
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof HTMLInputElement) return;
    const direction = keyDirections[event.code];
    if (direction) {
      event.preventDefault();
      this.handlers.onBrowse(direction);
    } else if (event.key === 'Escape') {
      this.handlers.onBack();
    } else if ((event.key === 'Enter' || event.key === ' ') && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      this.handlers.onActivate();
    } else if (event.key === '+' || event.key === '=' || event.key === '-') {
      this.handlers.onZoom(event.key === '-' ? -1 : 1);
    } else if (event.key === '0') {
      this.handlers.onFit();
    } else if (event.code === 'KeyK') {
      this.handlers.onTogglePlay();
    } else if (event.code === 'KeyJ' || event.code === 'KeyL') {
      this.handlers.onSeek(event.code === 'KeyJ' ? -1 : 1);
    }
  }

  private onPointerUp(event: PointerEvent): void {
    if (event.button !== 0 || this.pressedAt.distanceTo(new Vector2(event.clientX, event.clientY)) > clickSlopPx) return;
    this.handlers.onClick(this.pickAt(event));
  }

  private onPointerMove(event: PointerEvent): void {
    if (event.buttons !== 0 || event.pointerType === 'touch') return;
    const hit = this.pickAt(event);
    this.element.style.cursor = hit ? 'pointer' : 'grab';
    this.handlers.onHover(hit);
  }

  private pickAt(event: PointerEvent): Intersection | undefined {
    const rect = this.element.getBoundingClientRect();
    const ndc = new Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    return this.raycaster.intersectObjects(this.pickables(), false)[0];
  }
}
