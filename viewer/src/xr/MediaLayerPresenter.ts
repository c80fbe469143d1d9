import {
  CustomBlending,
  DepthTexture,
  Mesh,
  MeshBasicMaterial,
  OrthographicCamera,
  Quaternion,
  SRGBColorSpace,
  Vector3,
  WebGLRenderTarget,
  ZeroFactor,
  type BufferGeometry,
  type Color,
  type Scene,
  type WebGLRenderer,
} from 'three';
import type { DisplayProfile } from '../../../functions/domain/foveate/index.js';
import type { FoveatedImage } from '../foveated/FoveatedImage.js';
import { surfaceTileGeometry } from '../foveated/surfaceTileGeometry.js';
import type { OpenedItem } from '../OpenedItem.js';
import { chooseMediaLayer, type MediaLayerPlan } from './chooseMediaLayer.js';
import { compositeScissor } from './compositeScissor.js';

const degreesToRadians = Math.PI / 180;

/** The composition layer drawn now, and what it shows. */
interface ShownLayer {
  layer: XRQuadLayer | XREquirectLayer;
  plan: MediaLayerPlan;
  image: FoveatedImage;
  itemId: string;
  target: WebGLRenderTarget;
  holePunch: Mesh<BufferGeometry, MeshBasicMaterial>;
  /** The image's change-log version each of the layer's textures (one per swapchain image) was last painted to. */
  paintedVersions: WeakMap<WebGLTexture, number>;
  /** The version last painted to any of them: nothing newer, nothing to do. */
  latestPaintedVersion: number;
}

/**
 * Puts the opened image into a WebXR composition layer where the browser
 * supports them (the 'layers' feature: quad and equirect layers) and
 * chooseMediaLayer finds it fits; the shader path draws it otherwise. The
 * foveated layers and tiles are composited, by the same tile shader, into
 * the layer's texture (again only when something changed), the compositor
 * samples that once at the display's resolution, and the scene's own
 * drawing of the image is swapped for a "hole punch" that writes
 * transparent pixels with depth, so nearer things (rays, neighbours) stay
 * in front and farther ones (the gallery) stay hidden behind it.
 */
export class MediaLayerPresenter {
  private shown: ShownLayer | undefined;
  private readonly camera = new OrthographicCamera(0, 1, 1, 0, -1, 1);
  private readonly sceneBackground: Color | null;

  constructor(
    private readonly renderer: WebGLRenderer,
    private readonly scene: Scene,
    private readonly limits: { textureBudgetBytes: number },
  ) {
    this.sceneBackground = scene.background as Color | null;
  }

  get presenting(): boolean {
    return this.shown !== undefined;
  }

  /** Every frame in XR, before rendering; returns how the opened image is drawn. */
  update(opened: OpenedItem, display: DisplayProfile): 'layer' | 'shader' {
    const image = opened.media?.layerImage;
    const manifest = image?.layersManifest;
    const profile = image?.chosenProfile;
    const session = this.renderer.xr.getSession();
    const frame = this.renderer.xr.getFrame();
    const binding = session ? this.renderer.xr.getBinding() : null;
    const space = this.renderer.xr.getReferenceSpace();
    const support = {
      quad: typeof binding?.createQuadLayer === 'function',
      equirect: typeof binding?.createEquirectLayer === 'function',
    };
    // three.js made a projection layer (not an XRWebGLLayer) only when the session has layers.
    const projection = session?.renderState.layers?.[0] ?? null;
    const plan =
      session && binding && space && frame && projection && manifest && profile && opened.item
        ? chooseMediaLayer(manifest, profile, support, {
            maxTextureSizePx: display.maxTextureSizePx,
            textureBudgetBytes: this.limits.textureBudgetBytes,
          })
        : undefined;
    if (!plan || !session || !binding || !space || !frame || !image || !opened.item) {
      this.remove();
      return 'shader';
    }
    const shown = this.shown;
    if (
      !shown ||
      shown.itemId !== opened.item.itemId ||
      shown.plan.widthPx !== plan.widthPx ||
      shown.plan.heightPx !== plan.heightPx ||
      shown.image !== image
    ) {
      this.remove();
      this.create(session, binding, space, projection as XRLayer, plan, image, opened);
    }
    this.place(opened);
    this.paint(binding, frame);
    return 'layer';
  }

  /** Back to the shader path: the item closed, the session ended, or the layer no longer fits. */
  remove(): void {
    const shown = this.shown;
    if (!shown) return;
    this.shown = undefined;
    const session = this.renderer.xr.getSession();
    const projection = session?.renderState.layers?.find((layer) => layer !== shown.layer);
    if (session && projection) void session.updateRenderState({ layers: [projection] });
    // A layer of a session that already ended is gone with it.
    if (session) shown.layer.destroy();
    shown.target.depthTexture?.dispose();
    shown.target.dispose();
    shown.holePunch.removeFromParent();
    shown.holePunch.geometry.dispose();
    shown.holePunch.material.dispose();
    shown.image.object.visible = true;
    this.scene.background = this.sceneBackground;
    this.renderer.setClearAlpha(1);
  }

  private create(
    session: XRSession,
    binding: XRWebGLBinding,
    space: XRReferenceSpace,
    projection: XRLayer,
    plan: MediaLayerPlan,
    image: FoveatedImage,
    opened: OpenedItem,
  ): void {
    const media = opened.media!;
    const surface = media.surface;
    const distance = media.distanceMeters;
    const common = {
      space,
      viewPixelWidth: plan.widthPx,
      viewPixelHeight: plan.heightPx,
      layout: 'mono' as XRLayerLayout,
      clearOnAccess: false,
    };
    const layer =
      plan.kind === 'quad'
        ? binding.createQuadLayer({
            ...common,
            ...quadHalfExtents(opened),
          })
        : binding.createEquirectLayer({
            ...common,
            radius: distance,
            centralHorizontalAngle: (surface.yawDeg[1] - surface.yawDeg[0]) * degreesToRadians,
            upperVerticalAngle: surface.pitchDeg[1] * degreesToRadians,
            lowerVerticalAngle: surface.pitchDeg[0] * degreesToRadians,
          });
    void session.updateRenderState({ layers: [layer, projection] });
    // three.js's external-texture path wants a depth texture on the target; resolveDepthBuffer false
    // lets it back that with its own renderbuffer (the composite needs no depth, only paint order).
    const target = new WebGLRenderTarget(plan.widthPx, plan.heightPx, {
      depthTexture: new DepthTexture(plan.widthPx, plan.heightPx),
      resolveDepthBuffer: false,
    });
    // The compositor reads the layer's RGBA8 texture as sRGB: the shader must encode, as three.js does
    // for its own XR targets (for any other target it assumes an sRGB texture format that encodes itself).
    target.texture.colorSpace = SRGBColorSpace;
    (target as WebGLRenderTarget & { isXRRenderTarget: boolean }).isXRRenderTarget = true;
    const holePunch = new Mesh(
      surfaceTileGeometry(surface, [0, 0, 1, 1], distance),
      new MeshBasicMaterial({ color: 0x000000, blending: CustomBlending, blendSrc: ZeroFactor, blendDst: ZeroFactor }),
    );
    holePunch.name = 'media-layer-hole';
    opened.shownFrame.add(holePunch);
    image.object.visible = false;
    this.scene.background = null;
    this.renderer.setClearAlpha(0);
    this.shown = {
      layer,
      plan,
      image,
      itemId: opened.item!.itemId,
      target,
      holePunch,
      paintedVersions: new WeakMap(),
      latestPaintedVersion: -1,
    };
  }

  /** The layer follows the item's frame (it can be grabbed and moved). */
  private place(opened: OpenedItem): void {
    const shown = this.shown!;
    const media = opened.media!;
    const position = new Vector3();
    const orientation = new Quaternion();
    opened.object.getWorldPosition(position);
    opened.object.getWorldQuaternion(orientation);
    if (shown.plan.kind === 'quad') {
      position.add(new Vector3(0, 0, -media.distanceMeters).applyQuaternion(orientation));
      // The panel is drawn at the size the viewer chose for this display (OpenedItem.scale); set only on a
      // change, as a layers implementation may redo its work on every assignment.
      const extents = quadHalfExtents(opened);
      const quad = shown.layer as XRQuadLayer;
      if (quad.width !== extents.width || quad.height !== extents.height) Object.assign(quad, extents);
    } else {
      // An equirect layer is centred on -Z; a surface not centred on yaw 0 turns with its centre.
      const centreYaw = ((media.surface.yawDeg[0] + media.surface.yawDeg[1]) / 2) * degreesToRadians;
      orientation.multiply(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), -centreYaw));
    }
    shown.layer.transform = new XRRigidTransform(
      { x: position.x, y: position.y, z: position.z },
      { x: orientation.x, y: orientation.y, z: orientation.z, w: orientation.w },
    );
  }

  /**
   * Brings the layer's texture up to date when the image changed or the
   * compositor lost it: only the parts changed since that texture was last
   * painted are composited again (scissored), since a whole composite is
   * every drawn layer over a few megapixels.
   */
  private paint(binding: XRWebGLBinding, frame: XRFrame): void {
    const shown = this.shown!;
    const changes = shown.image.changes;
    const lost = shown.layer.needsRedraw;
    if (shown.latestPaintedVersion === changes.version && !lost) return;
    const subImage = binding.getSubImage(shown.layer, frame);
    const regions = changes.regionsSince(lost ? undefined : shown.paintedVersions.get(subImage.colorTexture));
    const renderer = this.renderer;
    (renderer as WebGLRenderer & { setRenderTargetTextures(target: WebGLRenderTarget, color: WebGLTexture): void }).setRenderTargetTextures(
      shown.target,
      subImage.colorTexture,
    );
    const previous = renderer.getRenderTarget();
    // Rendering through the XR camera would replace ours: step out of XR for this pass.
    renderer.xr.enabled = false;
    renderer.setClearColor(0x000000, 1);
    shown.target.scissorTest = true;
    for (const region of regions) {
      shown.target.scissor.copy(compositeScissor(region, shown.plan.widthPx, shown.plan.heightPx));
      renderer.setRenderTarget(shown.target);
      renderer.clear();
      renderer.render(shown.image.textureSpace, this.camera);
    }
    shown.target.scissorTest = false;
    renderer.setRenderTarget(previous);
    renderer.setClearAlpha(0);
    renderer.xr.enabled = true;
    shown.paintedVersions.set(subImage.colorTexture, changes.version);
    shown.latestPaintedVersion = changes.version;
  }
}

/** A quad layer's half extents (as three.js and the layers polyfill take them): the planned panel at the opened item's scale. */
function quadHalfExtents(opened: OpenedItem): { width: number; height: number } {
  const { surface, distanceMeters } = opened.media!;
  return {
    width: opened.scale * distanceMeters * Math.tan(surface.yawDeg[1] * degreesToRadians),
    height: opened.scale * distanceMeters * Math.tan(surface.pitchDeg[1] * degreesToRadians),
  };
}
