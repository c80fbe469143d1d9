import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { pipelineConfig } from '../../functions/config/index.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3IndexStorage, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { createDefaultEmbedder, decodeEmbedding, embedderKey } from '../../functions/domain/embed/index.js';
import type { FoveatedManifest } from '../../functions/domain/foveate/index.js';
import { getJson, itemKeys, type ErrorRecord, type ItemManifest } from '../../functions/domain/items/index.js';
import {
  allShards,
  decodePage,
  indexMembers,
  indexKeys,
  isLegacyManifest,
  parseStoredManifest,
  scopedIndexKey,
  scopedIndexStorage,
  type IndexStorage,
} from '../../functions/domain/vq/index.js';
import { readActiveGeneration, SimilarityIndex } from '../../functions/stages/retrieval/index.js';

/** What the client knows it sent: the key and the bytes of every upload, and whether it must be refused. */
export interface SentUpload {
  key: string;
  bytes: Uint8Array;
  /** A file that must end as an error record, never an item. */
  poison: boolean;
}

export interface IndependentAudit {
  uploads: number;
  /** Good files with a ready, complete item. */
  items: number;
  /** Bad files with exactly one error record of a specific code. */
  errors: number;
  /** Good files without a ready item (or refused), bad files without an error record. */
  lost: number;
  /** Item folders that no upload explains. */
  duplicateItems: number;
  /** Items that fail a check: a named object missing, bytes or dimensions other than claimed, a bad embedding; bad files that became items. */
  wrongItems: number;
  /** Objects that nothing names: under an item and not in its manifest, records about no upload, index objects no manifest names. */
  orphanObjects: number;
  /** Error records about a queue message that named no upload (the bench injects unreadable messages): reported, not orphans. */
  messageRecords: number;
  /** Ready items the answering index does not hold, plus entries it holds that are no ready item. */
  indexEntriesMismatch: number;
  /**
   * Ready items the index holds whose own vector does not find them first: a
   * retrieval miss, not a lost entry (the uint8 scan ranks near-identical
   * vectors by noise, and only the best `rerank` are re-scored exactly).
   */
  selfQueryMisses: number;
  /** One sentence per finding (the first 50). */
  problems: string[];
}

const { prefixes } = pipelineConfig;
const itemIdOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

/**
 * Checks the bucket against what the client sent, trusting nothing the
 * pipeline wrote about itself: item ids are recomputed from the bytes sent,
 * every object a manifest names is read and decoded, the index is asked for
 * each item by the item's own vector, and every object must be named by
 * something. Reads S3 only (the index through its own reader).
 */
export async function auditIndependently(s3: S3Client, bucket: string, uploads: readonly SentUpload[]): Promise<IndependentAudit> {
  const store = new S3ObjectStore(s3, bucket);
  const storage = new S3IndexStorage(s3, bucket, 'emulated');
  const audit: IndependentAudit = {
    uploads: uploads.length,
    items: 0,
    errors: 0,
    lost: 0,
    duplicateItems: 0,
    wrongItems: 0,
    orphanObjects: 0,
    messageRecords: 0,
    indexEntriesMismatch: 0,
    selfQueryMisses: 0,
    problems: [],
  };
  const problem = (
    counter: Exclude<keyof IndependentAudit, 'problems' | 'uploads' | 'items' | 'errors' | 'messageRecords'>,
    sentence: string,
  ) => {
    audit[counter] += 1;
    if (audit.problems.length < 50) audit.problems.push(sentence);
  };

  const objects = await listAll(store, '');
  const errorRecords = new Map<string, { key: string; record: ErrorRecord }[]>();
  for (const key of objects.filter((k) => k.startsWith(prefixes.errors))) {
    const record = await getJson<ErrorRecord>(store, key);
    if (record) errorRecords.set(record.key, [...(errorRecords.get(record.key) ?? []), { key, record }]);
  }
  const byFolder = new Map<string, string[]>();
  for (const key of objects.filter((k) => k.startsWith(prefixes.items))) {
    const itemId = key.slice(prefixes.items.length).split('/')[0]!;
    byFolder.set(itemId, [...(byFolder.get(itemId) ?? []), key]);
  }

  const goodIds = new Map<string, SentUpload[]>();
  for (const upload of uploads) {
    const id = itemIdOf(upload.bytes);
    const records = errorRecords.get(upload.key) ?? [];
    if (upload.poison) {
      if (records.length !== 1) problem('lost', `bad file ${upload.key} has ${records.length} error records, not one`);
      else if (records[0]!.record.code === 'retries-exhausted' || !records[0]!.record.reason)
        problem('lost', `bad file ${upload.key} was refused without a specific code (${records[0]!.record.code})`);
      else audit.errors += 1;
      if (byFolder.has(id)) problem('wrongItems', `bad file ${upload.key} became item ${id}`);
    } else {
      goodIds.set(id, [...(goodIds.get(id) ?? []), upload]);
      if (records.length > 0) problem('lost', `good file ${upload.key} was refused: ${records[0]!.record.code}`);
    }
  }

  const named = new Set<string>();
  const ready = new Map<string, ItemManifest>();
  for (const [itemId, sent] of goodIds) {
    const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(itemId));
    if (manifest?.status !== 'ready') {
      problem('lost', `${sent[0]!.key}: no ready item ${itemId} (${manifest ? manifest.status : 'no manifest'})`);
      continue;
    }
    const defects = await checkItem(store, manifest, sent, named);
    if (defects.length > 0) problem('wrongItems', `item ${itemId}: ${defects.join('; ')}`);
    else audit.items += 1;
    ready.set(itemId, manifest);
  }

  for (const [itemId, keys] of byFolder) {
    if (!goodIds.has(itemId)) {
      problem('duplicateItems', `item folder ${itemId} (${keys.length} objects) is explained by no upload`);
      continue;
    }
    for (const key of keys) if (!named.has(key)) problem('orphanObjects', `${key} is named by nothing`);
  }
  const sentKeys = new Set(uploads.map((upload) => upload.key));
  for (const [key, records] of errorRecords) {
    if (sentKeys.has(key)) continue;
    // An unreadable queue message names no upload; the pipeline records it under a description of the message.
    if (!key.startsWith(prefixes.uploads)) audit.messageRecords += records.length;
    else for (const { key: recordKey } of records) problem('orphanObjects', `${recordKey} is about ${key}, never uploaded`);
  }
  for (const key of objects.filter((k) => k.startsWith(prefixes.sources))) {
    const record = await getJson<{ key: string; itemId: string }>(store, key);
    if (!record || !sentKeys.has(record.key) || !ready.has(record.itemId))
      problem('orphanObjects', `${key} links ${record?.key ?? '?'} to ${record?.itemId ?? '?'}, which is no upload's item`);
  }

  await auditIndex(store, storage, objects, ready, problem);
  return audit;
}

/** Every object the manifest names must exist with the bytes (and, for images, the dimensions) it claims. */
async function checkItem(store: S3ObjectStore, manifest: ItemManifest, sent: SentUpload[], named: Set<string>): Promise<string[]> {
  const defects: string[] = [];
  const folder = itemKeys.folder(manifest.itemId);
  named.add(itemKeys.manifest(manifest.itemId));
  for (const upload of sent) named.add(itemKeys.sourceMarker(manifest.itemId, upload.key));
  if (!sent.some((upload) => upload.key === manifest.source.key)) defects.push(`its source ${manifest.source.key} is none of its uploads`);
  if (manifest.source.bytes !== sent[0]!.bytes.length)
    defects.push(`source is ${manifest.source.bytes} bytes, ${sent[0]!.bytes.length} were sent`);

  const image = async (key: string, bytes: number, widthPx: number, heightPx: number) => {
    named.add(key);
    const data = await store.getBytes(key);
    if (!data) return defects.push(`${key} is missing`);
    if (data.length !== bytes) return defects.push(`${key} is ${data.length} bytes, ${bytes} claimed`);
    const meta = await sharp(data)
      .metadata()
      .catch(() => undefined);
    if (meta?.width !== widthPx || meta.height !== heightPx)
      defects.push(`${key} is ${meta?.width ?? '?'}×${meta?.height ?? '?'}, ${widthPx}×${heightPx} claimed`);
  };
  for (const preview of manifest.previews) await image(preview.key, preview.bytes, preview.widthPx, preview.heightPx);

  if (!manifest.foveated) defects.push('no foveated layers');
  else {
    named.add(manifest.foveated.key);
    const foveated = await getJson<FoveatedManifest>(store, manifest.foveated.key).catch(() => undefined);
    if (!foveated) defects.push(`${manifest.foveated.key} is missing or not JSON`);
    for (const layer of foveated?.layers ?? [])
      for (const tile of layer.tiles) for (const file of tile.files) await image(file.key, file.bytes, tile.widthPx, tile.heightPx);
  }
  for (const stream of manifest.video?.clip.streams ?? []) {
    named.add(stream.key);
    const head = await store.head(stream.key);
    if (head?.bytes !== stream.bytes) defects.push(`${stream.key} is ${head?.bytes ?? 'missing'}, ${stream.bytes} bytes claimed`);
  }

  if (!manifest.embedding) defects.push('no embedding');
  else {
    named.add(manifest.embedding.key);
    const bytes = await store.getBytes(manifest.embedding.key);
    const vector = bytes && bytes.length === manifest.embedding.dimension * 4 ? decodeEmbedding(bytes) : undefined;
    const norm = vector ? Math.hypot(...vector) : NaN;
    if (!vector || !(Math.abs(norm - 1) < 1e-3))
      defects.push(`${manifest.embedding.key} is not a unit vector of ${manifest.embedding.dimension} floats`);
  }
  // Vectors of other embedders a backfill made are named by their key (docs/embeddings.md).
  for (const key of await listAll(store, `${folder}embeddings/`)) if (/\/embeddings\/[a-z][a-z0-9-]*\.f32$/.test(key)) named.add(key);
  return defects;
}

/**
 * Every object under index/ must be named by a manifest of its index (the
 * answering one, or one a backfill left); the answering index must hold
 * exactly the ready items and return each first for the item's own vector.
 */
async function auditIndex(
  store: S3ObjectStore,
  storage: IndexStorage,
  objects: readonly string[],
  ready: ReadonlyMap<string, ItemManifest>,
  problem: (counter: 'indexEntriesMismatch' | 'orphanObjects' | 'selfQueryMisses', sentence: string) => void,
): Promise<void> {
  const { vq } = pipelineConfig;
  const generation = await readActiveGeneration(storage, createDefaultEmbedder(), vq.shards);
  const indexObjects = objects.filter((key) => key.startsWith(vq.prefix) && key !== indexKeys.active());
  // index/<shard>/… is the layout from before indexes were per embedder (root ''); index/<embedder key>/… one index each.
  const rootOf = (key: string) => {
    const folder = key.slice(vq.prefix.length).split('/')[0]!;
    return allShards(vq.shards).includes(folder) ? '' : folder;
  };
  const named = new Set<string>();
  const existing = new Set(indexObjects);
  for (const root of new Set([generation.root, ...indexObjects.map(rootOf)]))
    await nameIndexObjects(storage, root, existing, named, problem);
  for (const key of indexObjects) if (!named.has(key)) problem('orphanObjects', `${key} is named by no index manifest`);

  const answering = scopedIndexStorage(storage, generation.root);
  const members = new Set<string>();
  for (const shard of allShards(vq.shards)) for (const id of await indexMembers(answering, shard)) members.add(id);
  for (const id of members) if (!ready.has(id)) problem('indexEntriesMismatch', `the index holds ${id}, which is no ready item`);
  for (const id of ready.keys()) if (!members.has(id)) problem('indexEntriesMismatch', `ready item ${id} is not in the index`);

  const index = new SimilarityIndex(answering, {
    shards: vq.shards,
    refreshMs: 0,
    nprobe: vq.search.nprobe,
    listCacheBytes: vq.query.listCacheBytes,
  });
  const answeringKey = embedderKey(generation.embedder);
  for (const [itemId, manifest] of ready) {
    if (!members.has(itemId)) continue;
    const recorded = manifest.embedding?.name === generation.embedder.name && manifest.embedding.version === generation.embedder.version;
    const bytes = await store.getBytes(recorded ? manifest.embedding!.key : itemKeys.embedding(itemId, answeringKey));
    if (!bytes) {
      problem('indexEntriesMismatch', `item ${itemId} has no vector for the answering index`);
      continue;
    }
    const [first] = await index.search(decodeEmbedding(bytes), 1);
    if (first?.id !== itemId) problem('selfQueryMisses', `item ${itemId}: its own vector finds ${first?.id ?? 'nothing'} first`);
  }
}

/** Adds the objects one index names: each shard's manifest and the packs (schema 2: pages and lists) it names. */
async function nameIndexObjects(
  storage: IndexStorage,
  root: string,
  existing: ReadonlySet<string>,
  named: Set<string>,
  problem: (counter: 'indexEntriesMismatch', sentence: string) => void,
): Promise<void> {
  for (const shard of allShards(pipelineConfig.vq.shards)) {
    const key = scopedIndexKey(indexKeys.manifest(shard), root);
    named.add(key);
    const stored = await storage.get(key);
    if (!stored) continue;
    const manifest = parseStoredManifest(key, stored.bytes);
    if (isLegacyManifest(manifest)) continue;
    if (manifest.packs) {
      for (const pack of manifest.packs) {
        const packKey = scopedIndexKey(pack.key, root);
        named.add(packKey);
        if (!existing.has(packKey)) problem('indexEntriesMismatch', `${packKey} is named by ${key} and missing`);
      }
      continue;
    }
    for (const page of manifest.pages) {
      const pageKey = scopedIndexKey(page.key, root);
      named.add(pageKey);
      const bytes = await storage.get(pageKey);
      if (!bytes) problem('indexEntriesMismatch', `${pageKey} is named by ${key} and missing`);
      else for (const list of decodePage(pageKey, bytes.bytes).lists) if (list.key) named.add(scopedIndexKey(list.key, root));
    }
  }
}

async function listAll(store: S3ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys(prefix)) keys.push(key);
  return keys;
}
