import { Group, LinearFilter, LinearMipmapLinearFilter, Mesh, SRGBColorSpace, VideoTexture, type Intersection, type Object3D } from 'three';
import type { DisplayProfile, NormalizedRect, SurfaceSpec } from '../../../functions/domain/foveate/index.js';
import type { ClipStream, FoveatedClipRef, ItemManifest } from '../../../functions/domain/items/types.js';
import { errorMessage } from '../errorMessage.js';
import { edgeLodBias } from '../foveated/edgeLodBias.js';
import { FoveatedTileMaterial } from '../foveated/FoveatedTileMaterial.js';
import type { Direction } from '../foveated/surfaceDirection.js';
import { surfaceTileGeometry } from '../foveated/surfaceTileGeometry.js';
import { ImageView, type GalleryTexture, type ImageViewDeps } from '../media/ImageView.js';
import type { MediaView } from '../media/MediaView.js';
import { mediaUrl } from '../mediaUrl.js';
import { ClipSync } from './ClipSync.js';
import { SeekBar } from './SeekBar.js';

/** Paint order of the streams: above every layer of the poster. */
const basePaintOrder = 100;
/** The seek bar hangs this far below a flat panel's bottom edge. */
const seekBarGapMeters = 0.08;

export interface VideoViewEvents {
  /** Playing or paused changed. */
  onPlayback(state: 'playing' | 'paused'): void;
  /** A stream's element failed to load `url` (it does not say why: a refusal, a network error, a format). */
  onStreamError(url: string): void;
}

/**
 * A video item: its poster (a foveated image, like a photo) until it plays,
 * then the foveated clip: the base stream over the whole surface and the
 * centre stream over its rect, both through the tile shader (the centre's
 * border fades to the base's PPD, so it cannot be seen), kept in step by
 * ClipSync. The video elements live in a hidden container (#video-streams)
 * so that the page, and tests, can find them.
 */
export class VideoView implements MediaView {
  readonly object = new Group();
  private readonly poster: ImageView;
  private readonly streams = new Group();
  private readonly base: HTMLVideoElement;
  private readonly centre: HTMLVideoElement;
  private readonly textures: VideoTexture[] = [];
  private readonly meshes: Mesh<ReturnType<typeof surfaceTileGeometry>, FoveatedTileMaterial>[] = [];
  private readonly sync: ClipSync;
  private readonly seekBar: SeekBar;
  private readonly clip: FoveatedClipRef;

  constructor(
    item: ItemManifest & { video: { clip: FoveatedClipRef } },
    galleryTexture: GalleryTexture | undefined,
    private readonly deps: ImageViewDeps & { video: VideoViewEvents },
  ) {
    this.clip = item.video.clip;
    this.poster = new ImageView(item, galleryTexture, deps);
    const baseStream = this.stream('base');
    const centreStream = this.stream('centre');
    this.base = this.videoElement(baseStream, false);
    this.centre = this.videoElement(centreStream, true);
    const surface = this.clip.surface as SurfaceSpec;
    const distance = this.distanceMeters;
    this.addStream(this.base, baseStream, [0, 0, 1, 1], basePaintOrder, false);
    this.addStream(this.centre, centreStream, centreStream.rect, basePaintOrder + 1, true);
    const biases = edgeLodBias(
      [
        { key: 'base', rect: [0, 0, 1, 1], ppd: baseStream.ppd },
        { key: 'centre', rect: centreStream.rect, ppd: centreStream.ppd },
      ],
      false,
    );
    this.meshes[1]!.material.setEdgeBias(biases.get('centre')!);
    this.streams.visible = false;
    this.sync = new ClipSync(this.base, this.centre, this.clip.frameRate, deps.settings.video);
    const widthMeters = surface.projection === 'flat' ? 2 * distance * Math.tan((surface.yawDeg[1] * Math.PI) / 180) : 1.2;
    const yMeters = surface.projection === 'flat' ? -distance * Math.tan((surface.pitchDeg[1] * Math.PI) / 180) - seekBarGapMeters : -1.2;
    this.seekBar = new SeekBar(widthMeters, yMeters, surface.projection === 'flat' ? -distance : -2);
    this.object.add(this.poster.object, this.streams, this.seekBar.object);
    this.base.addEventListener('timeupdate', () => this.onTime());
    this.base.addEventListener('ended', () => {
      this.sync.pause();
      this.deps.video.onPlayback('paused');
    });
  }

  get surface(): SurfaceSpec {
    return this.clip.surface;
  }

  get belowPanelMeters(): number {
    return seekBarGapMeters + SeekBar.heightMeters / 2;
  }

  get distanceMeters(): number {
    const { scene } = this.deps.settings;
    return this.surface.projection === 'flat' ? scene.panelDistanceMeters : scene.sphereRadiusMeters;
  }

  get progress() {
    return this.poster.progress;
  }

  get profileId() {
    return this.poster.profileId;
  }

  get fovealPending() {
    return this.poster.fovealPending;
  }

  get layersPending() {
    return this.poster.layersPending;
  }

  get stats() {
    return this.poster.stats;
  }

  get playing(): boolean {
    return this.sync.playing;
  }

  pickables(): Object3D[] {
    return [...this.poster.pickables(), ...this.meshes, this.seekBar.pickable];
  }

  update(nowMs: number, gaze: Direction, display: DisplayProfile, eyeTracked: boolean): void {
    // The poster's layers matter only until the clip shows.
    if (!this.streams.visible) this.poster.update(nowMs, gaze, display, eyeTracked);
  }

  setItem(item: ItemManifest): void {
    this.poster.setItem(item);
  }

  /** A click or select on the video: the seek bar seeks, the picture plays or pauses. */
  activate(hit: Intersection): void {
    const fraction = this.seekBar.fractionAt(hit);
    if (fraction !== undefined) this.seekTo(fraction * this.clip.durationSeconds);
    else this.togglePlay();
  }

  togglePlay(): void {
    if (this.sync.playing) {
      this.sync.pause();
      this.deps.video.onPlayback('paused');
      return;
    }
    this.showStreams();
    this.sync.play().then(
      () => this.deps.video.onPlayback('playing'),
      (error: unknown) => {
        // A browser that wants a gesture first (autoplay with sound) refuses: nothing plays.
        this.sync.pause();
        this.deps.video.onPlayback('paused');
        console.warn(`the video could not play: ${errorMessage(error)}`);
      },
    );
  }

  seekBy(seconds: number): void {
    this.seekTo(this.base.currentTime + seconds);
  }

  seekTo(seconds: number): void {
    this.showStreams();
    this.sync.seek(seconds);
    this.onTime();
  }

  dispose(): void {
    this.sync.dispose();
    for (const video of [this.base, this.centre]) {
      video.pause();
      video.removeAttribute('src');
      video.load();
      video.remove();
    }
    for (const texture of this.textures) texture.dispose();
    for (const mesh of this.meshes) {
      mesh.geometry.dispose();
      mesh.material.dispose();
    }
    this.seekBar.dispose();
    this.poster.dispose();
  }

  private showStreams(): void {
    if (this.streams.visible) return;
    this.streams.visible = true;
    this.poster.object.visible = false;
    this.deps.events.onChange();
  }

  private onTime(): void {
    this.seekBar.setFraction(this.base.currentTime / this.clip.durationSeconds);
    this.deps.events.onChange();
  }

  private stream(role: ClipStream['role']): ClipStream {
    const stream = this.clip.streams.find((candidate) => candidate.role === role);
    if (!stream) throw new Error(`the clip has no ${role} stream`);
    return stream;
  }

  private videoElement(stream: ClipStream, muted: boolean): HTMLVideoElement {
    const video = document.createElement('video');
    video.src = mediaUrl(stream.key);
    video.preload = 'auto';
    video.playsInline = true;
    video.muted = muted;
    video.crossOrigin = 'anonymous';
    video.dataset.role = stream.role;
    video.addEventListener('error', () => this.deps.video.onStreamError(video.src));
    streamContainer().append(video);
    return video;
  }

  private addStream(video: HTMLVideoElement, stream: ClipStream, rect: NormalizedRect, paintOrder: number, mipmaps: boolean): void {
    const texture = new VideoTexture(video);
    texture.flipY = false;
    texture.colorSpace = SRGBColorSpace;
    texture.generateMipmaps = mipmaps;
    texture.minFilter = mipmaps ? LinearMipmapLinearFilter : LinearFilter;
    this.textures.push(texture);
    const mesh = new Mesh(
      surfaceTileGeometry(this.surface, rect, this.distanceMeters),
      new FoveatedTileMaterial(texture, { rect, textureRect: rect, widthPx: stream.widthPx, heightPx: stream.heightPx }, paintOrder),
    );
    mesh.renderOrder = FoveatedTileMaterial.renderOrder(paintOrder);
    this.meshes.push(mesh);
    this.streams.add(mesh);
  }
}

/** The hidden element holding the playing streams. */
function streamContainer(): HTMLElement {
  let container = document.getElementById('video-streams');
  if (!container) {
    container = document.createElement('div');
    container.id = 'video-streams';
    container.hidden = true;
    document.body.append(container);
  }
  return container;
}
