import type { FoveatedManifest } from '../../../functions/domain/foveate/index.js';
import type { FoveatedPreviewRef } from '../../../functions/domain/items/types.js';
import { fetchFoveatedManifest } from './fetchFoveatedManifest.js';

/** Few are needed: the item being opened and the ones pointed at just before. */
const capacity = 8;

/**
 * foveated.json by key, fetched once: asked for when a gallery panel is
 * selected (pointed at, or reached with the keyboard), so that opening the
 * item does not wait a round trip for it. A failed fetch is forgotten, so
 * the next ask tries again.
 */
export class ManifestCache {
  private readonly manifests = new Map<string, Promise<FoveatedManifest>>();

  constructor(private readonly fetchImpl: typeof fetch) {}

  get(ref: FoveatedPreviewRef): Promise<FoveatedManifest> {
    const cached = this.manifests.get(ref.key);
    if (cached) {
      // Most recently used last.
      this.manifests.delete(ref.key);
      this.manifests.set(ref.key, cached);
      return cached;
    }
    const fetched = fetchFoveatedManifest(ref, this.fetchImpl);
    fetched.catch(() => this.manifests.delete(ref.key));
    this.manifests.set(ref.key, fetched);
    while (this.manifests.size > capacity) this.manifests.delete(this.manifests.keys().next().value!);
    return fetched;
  }

  prefetch(ref: FoveatedPreviewRef | undefined): void {
    if (ref) void this.get(ref).catch(() => undefined);
  }
}
