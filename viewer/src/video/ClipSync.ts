import { clipSyncAction, type ClipSyncSettings } from './clipSyncAction.js';

/**
 * Plays two video elements as one: `base` is the clock (it has the sound),
 * `centre` follows it. Play, pause and seek act on both; on every frame the
 * base presents (requestVideoFrameCallback), the centre is corrected by
 * clipSyncAction. A seek of the centre is not repeated while one is still
 * in progress. When either stream runs out of data ('waiting'), the other
 * pauses until both can play again, then they restart together: the two
 * advance together or not at all.
 */
export class ClipSync {
  private stopped = false;
  private callbackId: number | undefined;
  /** What the user asked for; a stall pauses the elements without changing it. */
  private wantPlaying = false;
  private readonly starved = new Set<HTMLVideoElement>();

  constructor(
    private readonly base: HTMLVideoElement,
    private readonly centre: HTMLVideoElement,
    private readonly frameRate: number,
    private readonly settings: ClipSyncSettings,
  ) {
    for (const video of [base, centre]) {
      video.addEventListener('waiting', () => this.onStarved(video));
      video.addEventListener('canplay', () => void this.onFed(video));
    }
    this.watch();
  }

  get playing(): boolean {
    return this.wantPlaying;
  }

  async play(): Promise<void> {
    this.wantPlaying = true;
    this.centre.currentTime = this.base.currentTime;
    await Promise.all([this.base.play(), this.centre.play()]);
  }

  pause(): void {
    this.wantPlaying = false;
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

  private onStarved(video: HTMLVideoElement): void {
    // A seek waits for data by nature (ours included): only a stream that ran dry while playing counts.
    if (!this.wantPlaying || video.seeking) return;
    this.starved.add(video);
    for (const other of [this.base, this.centre]) if (other !== video) other.pause();
  }

  private async onFed(video: HTMLVideoElement): Promise<void> {
    if (!this.starved.delete(video) || this.starved.size > 0 || !this.wantPlaying) return;
    const action = clipSyncAction(this.base.currentTime, this.centre.currentTime, this.frameRate, this.settings);
    if (action.seekToSeconds !== undefined) this.centre.currentTime = action.seekToSeconds;
    await Promise.all([this.base.play(), this.centre.play()]).catch(() => undefined);
  }

  /** Corrects the centre now; called on each base frame. */
  private correct(): void {
    if (this.base.paused || this.base.seeking || this.starved.size > 0) return;
    const action = clipSyncAction(this.base.currentTime, this.centre.currentTime, this.frameRate, this.settings);
    if (action.seekToSeconds !== undefined && !this.centre.seeking) this.centre.currentTime = action.seekToSeconds;
    this.centre.playbackRate = this.base.playbackRate * action.playbackRate;
    if (this.centre.paused && this.wantPlaying) void this.centre.play().catch(() => undefined);
  }

  private watch(): void {
    if (this.stopped) return;
    this.callbackId = this.base.requestVideoFrameCallback(() => {
      this.correct();
      this.watch();
    });
  }
}
