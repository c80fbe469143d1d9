import { clipSyncAction, type ClipSyncSettings } from './clipSyncAction.js';

/**
 * Plays two video elements as one: `base` is the clock (it has the sound),
 * `centre` follows it. Play, pause and seek act on both; on every frame the
 * base presents (requestVideoFrameCallback), the centre is corrected by
 * clipSyncAction. A seek of the centre is not repeated while one is still
 * in progress.
 */
export class ClipSync {
  private stopped = false;
  private callbackId: number | undefined;
  /** The largest drift seen between corrections, in seconds, for the viewer's figures. */
  maxDriftSeconds = 0;

  constructor(
    private readonly base: HTMLVideoElement,
    private readonly centre: HTMLVideoElement,
    private readonly frameRate: number,
    private readonly settings: ClipSyncSettings,
  ) {
    this.watch();
  }

  get playing(): boolean {
    return !this.base.paused;
  }

  async play(): Promise<void> {
    this.centre.currentTime = this.base.currentTime;
    await Promise.all([this.base.play(), this.centre.play()]);
  }

  pause(): void {
    this.base.pause();
    this.centre.pause();
    this.centre.currentTime = this.base.currentTime;
  }

  seek(seconds: number): void {
    const clamped = Math.max(0, Math.min(seconds, Number.isFinite(this.base.duration) ? this.base.duration : seconds));
    this.base.currentTime = clamped;
    this.centre.currentTime = clamped;
  }

  dispose(): void {
    this.stopped = true;
    if (this.callbackId !== undefined) this.base.cancelVideoFrameCallback(this.callbackId);
  }

  /** Corrects the centre now; called on each base frame, and usable by tests of the element pair. */
  correct(): void {
    if (this.base.paused || this.base.seeking) return;
    const action = clipSyncAction(this.base.currentTime, this.centre.currentTime, this.frameRate, this.settings);
    this.maxDriftSeconds = Math.max(this.maxDriftSeconds, Math.abs(this.centre.currentTime - this.base.currentTime));
    if (action.seekToSeconds !== undefined && !this.centre.seeking) this.centre.currentTime = action.seekToSeconds;
    this.centre.playbackRate = this.base.playbackRate * action.playbackRate;
    if (this.centre.paused) void this.centre.play().catch(() => undefined);
  }

  private watch(): void {
    if (this.stopped) return;
    this.callbackId = this.base.requestVideoFrameCallback(() => {
      this.correct();
      this.watch();
    });
  }
}
