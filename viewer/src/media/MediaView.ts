import type { Intersection, Object3D } from 'three';
import type { DisplayProfile, SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import type { ItemManifest } from '../../../functions/domain/items/types.js';
import type { FoveatedImage } from '../foveated/FoveatedImage.js';
import type { Direction } from '../foveated/surfaceDirection.js';

/** What an opened item shows on its surface (an image's layers, a video's streams over its poster). */
export interface MediaView {
  /** Drawn in the item's frame: the origin is where the surface is planned to be seen from. */
  readonly object: Object3D;
  readonly surface: SurfaceSpec;
  /** A flat panel's distance or a sphere's radius. */
  readonly distanceMeters: number;
  /** What hangs under a flat panel (a video's seek bar), from its bottom edge, at its planned size. */
  readonly belowPanelMeters?: number;
  /** How far the picture has come (FoveatedImage.progress). */
  readonly progress: 'none' | 'placeholder' | 'base' | 'sharp';
  /** The planned profile drawn and the full-PPD tiles the gaze still waits for (FoveatedImage). */
  readonly profileId: string | undefined;
  readonly fovealPending: number;
  readonly layersPending: number;
  /** A still image that a WebXR composition layer can show instead (MediaLayerPresenter); a video has none. */
  readonly layerImage?: FoveatedImage;
  /** The meshes a pointer can hit. */
  pickables(): Object3D[];
  /** Every frame: where the user looks (a direction in the item's frame) on what display. */
  update(nowMs: number, gaze: Direction, display: DisplayProfile, eyeTracked: boolean): void;
  /** A newer record of the same item (its layers became ready). */
  setItem(item: ItemManifest): void;
  /** Decoded texture bytes now and at most, for the viewer's figures. */
  readonly stats: { decodedBytes: number; decodedBytesMax: number };
  /** A click or select on one of its pickables (a video plays, pauses or seeks); absent for a still image. */
  activate?(hit: Intersection): void;
  /** Video only: play or pause, and seek by some seconds. */
  togglePlay?(): void;
  seekBy?(seconds: number): void;
  dispose(): void;
}
