import { ShaderMaterial, Vector2, Vector4, type Texture } from 'three';
import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';
import type { EdgeBias } from './edgeLodBias.js';

/** Over how many of its own texels a tile's detail fades to the coarser neighbour's at a biased edge. */
const fadeTexels = 24;

const vertexShader = /* glsl */ `
varying vec2 vSource;
void main() {
  vSource = uv;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

/**
 * Paints one texture over its rect (the mesh covers the rect and no more),
 * sampling through its textureRect (rect plus overlap, so bilinear
 * filtering at the rect's edge reads real neighbouring pixels, not a
 * clamped edge), with a mipmap bias that rises towards edges that meet a
 * coarser layer (edgeLodBias). Opaque and without discard, so a GPU can
 * reject what a finer layer in front hides before shading it.
 */
const fragmentShader = /* glsl */ `
uniform sampler2D map;
uniform vec4 rect;
uniform vec4 textureRect;
uniform vec4 edgeBias;
uniform vec2 fadeSize;
varying vec2 vSource;
void main() {
  vec2 texel = (vSource - textureRect.xy) / (textureRect.zw - textureRect.xy);
  vec4 towardEdge = clamp(1.0 - vec4(vSource.x - rect.x, vSource.y - rect.y, rect.z - vSource.x, rect.w - vSource.y) / fadeSize.xyxy, 0.0, 1.0);
  vec4 bias4 = edgeBias * towardEdge;
  float bias = max(max(bias4.x, bias4.y), max(bias4.z, bias4.w));
  gl_FragColor = vec4(texture(map, texel, bias).rgb, 1.0);
  #include <colorspace_fragment>
}
`;

export interface TileTextureLayout {
  rect: NormalizedRect;
  textureRect: NormalizedRect;
  widthPx: number;
  heightPx: number;
}

/**
 * The tile shader. Textures are uploaded top row first (flipY false) and
 * the geometry's uv is in source coordinates with v down, so no flip is
 * needed anywhere. `paintOrder` (higher = finer) offsets depth so a finer
 * layer wins over a coarser one on the same surface.
 */
export class FoveatedTileMaterial extends ShaderMaterial {
  /**
   * The mesh's three.js renderOrder for a paintOrder: finest first. With the
   * depth offset, the coarser layers behind then fail the depth test instead
   * of being shaded and painted over (up to five layers overlap at the
   * fovea).
   */
  static renderOrder(paintOrder: number): number {
    return -paintOrder;
  }

  constructor(texture: Texture, layout: TileTextureLayout, paintOrder: number) {
    const [left, top, right, bottom] = layout.textureRect;
    super({
      vertexShader,
      fragmentShader,
      uniforms: {
        map: { value: texture },
        rect: { value: new Vector4(...layout.rect) },
        textureRect: { value: new Vector4(left, top, right, bottom) },
        edgeBias: { value: new Vector4() },
        fadeSize: { value: new Vector2(((right - left) * fadeTexels) / layout.widthPx, ((bottom - top) * fadeTexels) / layout.heightPx) },
      },
      polygonOffset: true,
      polygonOffsetFactor: -paintOrder,
      polygonOffsetUnits: -4 * paintOrder,
    });
  }

  /** Returns whether the bias changed. */
  setEdgeBias(bias: EdgeBias): boolean {
    const current = this.uniforms.edgeBias!.value as Vector4;
    if (current.x === bias[0] && current.y === bias[1] && current.z === bias[2] && current.w === bias[3]) return false;
    current.set(...bias);
    return true;
  }

  setTexture(texture: Texture): void {
    this.uniforms.map!.value = texture;
  }
}
