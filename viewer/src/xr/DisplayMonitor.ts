import type { PerspectiveCamera, WebGLRenderer } from 'three';
import type { DisplayProfile } from '../../../functions/domain/foveate/index.js';
import { measureDisplay, type ViewMeasurement } from '../foveated/measureDisplay.js';
import type { XrScale } from './EnterVrButton.js';

/** Re-measure in XR this often: views do not change within a session, but cost nothing to check. */
const xrMeasureIntervalMs = 1000;

/**
 * The display the layers are chosen for. On a desktop: the camera's
 * projection and the canvas's drawing buffer. In XR: each XRView's
 * projection matrix and its viewport in the framebuffer (XRWebGLLayer, or
 * a projection layer's sub-image), scaled to the device's native density.
 * Always with the GPU's MAX_TEXTURE_SIZE.
 */
export class DisplayMonitor {
  private desktop: DisplayProfile | undefined;
  private xr: DisplayProfile | undefined;
  private xrMeasuredAtMs = -Infinity;
  private scale: XrScale = { framebufferScale: 1, nativeScale: 1 };

  constructor(private readonly renderer: WebGLRenderer) {}

  get maxTextureSizePx(): number {
    return this.renderer.capabilities.maxTextureSize;
  }

  setXrScale(scale: XrScale): void {
    this.scale = scale;
    this.xr = undefined;
  }

  /** The canvas was resized or the camera's field of view changed. */
  invalidateDesktop(): void {
    this.desktop = undefined;
  }

  current(camera: PerspectiveCamera, nowMs: number): DisplayProfile {
    if (this.renderer.xr.isPresenting) {
      if (!this.xr || nowMs - this.xrMeasuredAtMs > xrMeasureIntervalMs) {
        const measured = this.measureXr();
        if (measured) {
          this.xr = measured;
          this.xrMeasuredAtMs = nowMs;
        }
      }
      if (this.xr) return this.xr;
    }
    this.desktop ??= this.measureDesktop(camera);
    return this.desktop;
  }

  private measureDesktop(camera: PerspectiveCamera): DisplayProfile {
    camera.updateProjectionMatrix();
    const gl = this.renderer.getContext();
    return measureDisplay(
      [
        {
          projectionMatrix: camera.projectionMatrix.elements,
          viewportWidthPx: gl.drawingBufferWidth,
          viewportHeightPx: gl.drawingBufferHeight,
        },
      ],
      this.maxTextureSizePx,
    );
  }

  private measureXr(): DisplayProfile | undefined {
    const xr = this.renderer.xr;
    const frame = xr.getFrame();
    const space = xr.getReferenceSpace();
    const layer = xr.getBaseLayer();
    const pose = frame && space ? frame.getViewerPose(space) : undefined;
    if (!pose || !layer) return undefined;
    const views: ViewMeasurement[] = pose.views.map((view) => {
      const viewport = 'getViewport' in layer ? layer.getViewport(view) : xr.getBinding()?.getViewSubImage(layer, view).viewport;
      return { projectionMatrix: view.projectionMatrix, viewportWidthPx: viewport?.width ?? 0, viewportHeightPx: viewport?.height ?? 0 };
    });
    return measureDisplay(views, this.maxTextureSizePx, this.scale);
  }
}
