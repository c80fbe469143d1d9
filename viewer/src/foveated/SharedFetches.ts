type FetchBlob = (url: string, signal: AbortSignal) => Promise<Blob>;

interface InFlight {
  blob: Promise<Blob>;
  controller: AbortController;
  users: number;
}

/**
 * One network request per URL however many ask for it at once: the gallery
 * and the opened item both want an item's base layer, and the placeholder
 * path and the tile scheduler may ask for it together. Each caller keeps its
 * own abort signal; the request itself is aborted only when every caller has
 * given up on it.
 */
export class SharedFetches {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(private readonly fetchBlob: FetchBlob) {}

  get(url: string, signal: AbortSignal): Promise<Blob> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const shared = this.inFlight.get(url) ?? this.start(url);
    shared.users += 1;
    return new Promise<Blob>((resolve, reject) => {
      const giveUp = () => {
        shared.users -= 1;
        if (shared.users === 0 && this.inFlight.get(url) === shared) {
          this.inFlight.delete(url);
          shared.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', giveUp, { once: true });
      shared.blob.then(
        (blob) => {
          signal.removeEventListener('abort', giveUp);
          resolve(blob);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', giveUp);
          reject(error);
        },
      );
    });
  }

  private start(url: string): InFlight {
    const controller = new AbortController();
    const shared: InFlight = { blob: this.fetchBlob(url, controller.signal), controller, users: 0 };
    const forget = () => {
      if (this.inFlight.get(url) === shared) this.inFlight.delete(url);
    };
    shared.blob.then(forget, forget);
    this.inFlight.set(url, shared);
    return shared;
  }
}
