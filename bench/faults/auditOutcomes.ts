import { pipelineConfig } from '../../functions/config/index.js';
import { currentUploadOutcome } from '../../functions/stages/ingest/index.js';
import { getJson, itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { messageCounts, S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { allShards, loadIndexShard, shardOfItem } from '../../functions/domain/vq/index.js';
import type { LocalPipeline } from '../../local/index.js';
import type { BenchUpload } from './uploadSet.js';

export interface OutcomeAudit {
  uploads: number;
  /** Complete items in the bucket (ready manifests). */
  items: number;
  /** Uploads whose current version ended as an error record. */
  errors: number;
  /** Uploads with neither: nothing will ever tell the user what became of them. */
  lost: number;
  /** Item manifests beyond one per distinct good photo: a second item for the same upload, or an orphan. */
  duplicateItems: number;
  /** Good photos that ended as an error record (retries exhausted), and bad files that became items. */
  goodRejected: number;
  poisonAccepted: number;
  /** Ready items missing from the retrieval index, plus index entries that are no ready item. */
  indexEntriesMismatch: number;
  /** Messages left in the ingest and video dead-letter queues. */
  deadLetters: number;
}

/** What the bucket, the index and the queues say became of every upload, after the pipeline went idle. */
export async function auditOutcomes(pipeline: LocalPipeline, uploads: readonly BenchUpload[]): Promise<OutcomeAudit> {
  const store = new S3ObjectStore(pipeline.s3, pipeline.resources.mediaBucket);
  const audit: OutcomeAudit = {
    uploads: 0,
    items: 0,
    errors: 0,
    lost: 0,
    duplicateItems: 0,
    goodRejected: 0,
    poisonAccepted: 0,
    indexEntriesMismatch: 0,
    deadLetters: 0,
  };

  const listed = new Set<string>();
  for await (const key of store.listKeys(pipelineConfig.prefixes.uploads)) listed.add(key);
  audit.uploads = listed.size;
  const expectedItems = new Set<string>();
  for (const upload of uploads) {
    if (!listed.has(upload.key)) throw new Error(`the upload ${upload.key} is not in the bucket`);
    const outcome = await currentUploadOutcome(store, upload.key);
    if (outcome === 'error') audit.errors += 1;
    if (outcome === undefined) audit.lost += 1;
    if (upload.poison && outcome === 'item') audit.poisonAccepted += 1;
    if (!upload.poison && outcome === 'error') audit.goodRejected += 1;
    if (!upload.poison) expectedItems.add(itemIdForContent(upload.bytes));
  }

  const readyItems: string[] = [];
  for await (const key of store.listKeys(pipelineConfig.prefixes.items)) {
    const itemId = itemKeys.itemIdFromManifestKey(key);
    if (itemId && (await getJson<ItemManifest>(store, key))?.status === 'ready') readyItems.push(itemId);
  }
  audit.items = readyItems.length;
  audit.duplicateItems = readyItems.filter((itemId) => !expectedItems.has(itemId)).length;

  const storage = new S3IndexStorage(pipeline.s3, pipeline.resources.mediaBucket, 'emulated');
  const { shards } = pipelineConfig.vq;
  const loaded = new Map<string, Awaited<ReturnType<typeof loadIndexShard>>>();
  let indexEntries = 0;
  for (const shard of allShards(shards)) {
    const index = await loadIndexShard(storage, shard);
    loaded.set(shard, index);
    indexEntries += index?.index.size ?? 0;
  }
  const indexed = readyItems.filter((itemId) => loaded.get(shardOfItem(itemId, shards))?.index.has(itemId)).length;
  audit.indexEntriesMismatch = readyItems.length - indexed + (indexEntries - indexed);

  for (const queue of [pipeline.resources.queues.ingest.deadLetter, pipeline.resources.queues.video.deadLetter]) {
    const counts = await messageCounts(pipeline.sqs, queue.url);
    audit.deadLetters += counts.waiting + counts.inFlight;
  }
  return audit;
}
