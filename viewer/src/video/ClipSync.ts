import { clipSyncAction, type ClipSyncSettings } from './clipSyncAction.js';

/**
 * Plays two video elements as one: `base` is the clock (it has the sound),
 * `centre` follows it. Play, pause and seek act on both; on every frame the
 * base presents (requestVideoFrameCallback), the centre is corrected by
 * clipSyncAction (a seek of the centre is not repeated while one is in
 * progress). Starting and the user's seeks are rejoins: both streams hold
 * still until both have the frame at the new time, then start together
 * (the base playing on while the centre decodes from its keyframe would
 * leave the centre late, and seeked again, frozen). When either stream runs
 * out of data ('waiting'), the other pauses until both can play again: the
 * two advance together or not at all.
 */
export class ClipSync {
  private stopped = false;
  private callbackId: number | undefined;
  /** What the user asked for; a stall pauses the elements without changing it. */
  private wantPlaying = false;
  private readonly starved = new Set<HTMLVideoElement>();
  /** Counts rejoins, so a superseded one does not start playback. */
  private rejoins = 0;
  private rejoining = false;

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
    await this.rejoin(this.base.currentTime);
  }

  pause(): void {
    this.wantPlaying = false;
    this.rejoins += 1;
    this.rejoining = false;
    this.base.pause();
    this.centre.pause();
    this.centre.currentTime = this.base.currentTime;
  }

  seek(seconds: number): void {
    const clamped = Math.max(0, Math.min(seconds, Number.isFinite(this.base.duration) ? this.base.duration : seconds));
    void this.rejoin(clamped).catch(() => undefined);
  }

  dispose(): void {
    this.stopped = true;
    if (this.callbackId !== undefined) this.base.cancelVideoFrameCallback(this.callbackId);
  }

  /** Both streams to `seconds`, still; then both play, if playing is still wanted and no newer rejoin began. */
  private async rejoin(seconds: number): Promise<void> {
    const rejoin = ++this.rejoins;
    this.rejoining = true;
    this.starved.clear();
    this.base.pause();
    this.centre.pause();
    for (const video of [this.base, this.centre]) if (video.currentTime !== seconds) video.currentTime = seconds;
    try {
      await Promise.all([frameReady(this.base), frameReady(this.centre)]);
    } finally {
      if (rejoin === this.rejoins) this.rejoining = false;
    }
    if (rejoin !== this.rejoins || !this.wantPlaying || this.stopped) return;
    await Promise.all([this.base.play(), this.centre.play()]);
  }

  private onStarved(video: HTMLVideoElement): void {
    // A seek waits for data by nature (ours included): only a stream that ran dry while playing counts.
    if (!this.wantPlaying || this.rejoining || video.seeking) return;
    this.starved.add(video);
    for (const other of [this.base, this.centre]) if (other !== video) other.pause();
  }

  private async onFed(video: HTMLVideoElement): Promise<void> {
    if (!this.starved.delete(video) || this.starved.size > 0 || !this.wantPlaying || this.rejoining) return;
    const action = clipSyncAction(this.base.currentTime, this.centre.currentTime, this.frameRate, this.settings);
    if (action.seekToSeconds !== undefined) this.centre.currentTime = action.seekToSeconds;
    await Promise.all([this.base.play(), this.centre.play()]).catch(() => undefined);
  }

  /** Corrects the centre now; called on each base frame. */
  private correct(): void {
    if (this.base.paused || this.base.seeking || this.starved.size > 0 || this.rejoining) return;
    const action = clipSyncAction(this.base.currentTime, this.centre.currentTime, this.frameRate, this.settings);
    if (action.seekToSeconds !== undefined && !this.centre.seeking) this.centre.currentTime = action.seekToSeconds;
    const rate = this.base.playbackRate * action.playbackRate;
    if (this.centre.playbackRate !== rate) this.centre.playbackRate = rate;
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

/** Resolves once `video` is not seeking and has the frame at its current time (or failed: play() then says why). */
function frameReady(video: HTMLVideoElement): Promise<void> {
  const ready = () => video.error !== null || (!video.seeking && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA);
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!ready()) return;
      for (const event of events) video.removeEventListener(event, check);
      resolve();
    };
    const events = ['seeked', 'loadeddata', 'canplay', 'error'] as const;
    for (const event of events) video.addEventListener(event, check);
  });
}
