export interface ScheduledRequest<T> {
  /** Identifies the request across updates (a tile's file key). */
  key: string;
  /** Lower starts sooner. */
  priority: number;
  load(signal: AbortSignal): Promise<T>;
}

export interface RequestSchedulerEvents<T> {
  onLoad(key: string, value: T): void;
  onError(key: string, error: unknown): void;
  /** A request in flight was aborted because it was no longer wanted. */
  onAbort?(key: string): void;
}

interface Running {
  priority: number;
  controller: AbortController;
}

/**
 * Fetches what the gaze needs, most urgent first, a few at a time so that
 * an urgent request never queues behind many lesser ones for bandwidth.
 * Each update replaces the wanted list: requests no longer wanted are
 * dropped from the queue, and aborted if already in flight (unless `keep`
 * still names them: the caller's hysteresis).
 */
export class RequestScheduler<T> {
  private queue: ScheduledRequest<T>[] = [];
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly concurrency: number,
    private readonly events: RequestSchedulerEvents<T>,
  ) {
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  }

  get inFlight(): string[] {
    return [...this.running.keys()];
  }

  get queued(): string[] {
    return this.queue.map((request) => request.key);
  }

  update(wanted: readonly ScheduledRequest<T>[], keep: ReadonlySet<string> = new Set()): void {
    const wantedKeys = new Set(wanted.map((request) => request.key));
    for (const [key, running] of this.running) {
      if (wantedKeys.has(key) || keep.has(key)) continue;
      this.running.delete(key);
      running.controller.abort();
      this.events.onAbort?.(key);
    }
    this.queue = wanted.filter((request) => !this.running.has(request.key)).sort((a, b) => a.priority - b.priority);
    this.startNext();
  }

  /** Aborts everything: the item was closed. */
  cancelAll(): void {
    this.update([]);
  }

  private startNext(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      const request = this.queue.shift()!;
      const controller = new AbortController();
      this.running.set(request.key, { priority: request.priority, controller });
      request.load(controller.signal).then(
        (value) => this.settle(request.key, controller, () => this.events.onLoad(request.key, value)),
        (error: unknown) => this.settle(request.key, controller, () => this.events.onError(request.key, error)),
      );
    }
  }

  private settle(key: string, controller: AbortController, report: () => void): void {
    // An aborted request was already reported; a newer one with the same key may be running.
    if (controller.signal.aborted || this.running.get(key)?.controller !== controller) return;
    this.running.delete(key);
    report();
    this.startNext();
  }
}
