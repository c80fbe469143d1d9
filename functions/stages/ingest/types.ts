import type { Embedder } from '../../domain/embed/index.js';
import type { ItemManifest, ObjectStore } from '../../domain/items/index.js';
import type { FoveationSettings } from '../../domain/foveate/index.js';
import type { PreviewLimits, SupportedVideoMime } from '../../domain/media/index.js';

interface IngestLimits extends PreviewLimits {
  maxBytes: number;
}

export interface IngestDeps {
  store: ObjectStore;
  limits: IngestLimits;
  /** Foveated layer tunables; pipelineConfig.foveation when absent. */
  foveation?: FoveationSettings;
  /** Clock for error records; injectable so tests can pin it. */
  now?: () => Date;
  /** Where sniffed videos go (the video queue); without it a video is rejected as unsupported. */
  videoJobs?: VideoJobQueue;
  /**
   * Content embeddings. The handlers always pass the environment's configured embedder (functions/adapters/embed),
   * the one the indexer and search use; the weight-free default when absent (tests that call the stage directly).
   */
  embedder?: Embedder;
  /** Where items enter and leave the retrieval index (the index FIFO queue); without it nothing is indexed. */
  indexUpdates?: IndexUpdateQueue;
}

/**
 * An item entered or left the retrieval index. An upsert may carry its vector:
 * the indexer then skips reading items/<id>/embeddings/<embedder key>.f32,
 * which at a thousand updates per commit would cost more than the commit.
 */
export type IndexUpdate = { op: 'upsert'; itemId: string; vector?: InlineVector } | { op: 'delete'; itemId: string };

/** The vector an upsert carries, and the embedder it came from (the indexer uses it only for its own). */
interface InlineVector {
  embedderKey: string;
  values: Float32Array;
}

/** The index queue as ingest sees it; functions/adapters/store implements it over SQS FIFO. */
export interface IndexUpdateQueue {
  /** Sends the updates in their order; those of one shard travel together, several to a message. */
  send(updates: readonly IndexUpdate[]): Promise<void>;
}

/** A sniffed video, handed from ingest to the video function (which sniffs again: it trusts no message). */
export interface VideoJob {
  key: string;
  mime: SupportedVideoMime;
}

/** The video queue as ingest sees it; functions/adapters/store implements it over SQS. */
export interface VideoJobQueue {
  send(job: VideoJob): Promise<void>;
}

/** One upload that landed, by its decoded key. */
export interface UploadCreated {
  key: string;
}

export type IngestOutcome =
  | { outcome: 'created'; itemId: string; manifest: ItemManifest }
  | { outcome: 'duplicate'; itemId: string }
  | { outcome: 'queued'; queue: 'video'; mime: SupportedVideoMime }
  | { outcome: 'rejected'; code: string; reason: string }
  | { outcome: 'stale'; reason: string };

export type RemoveOutcome =
  { outcome: 'removed'; itemId: string; itemDeleted: boolean } | { outcome: 'unknown-key' } | { outcome: 'stale'; reason: string };
