import { createDefaultEmbedder, embedderKey, sameEmbedder, type EmbedderInfo } from '../../domain/embed/index.js';
import {
  allShards,
  CorruptIndexDataError,
  indexKeys,
  parseStoredManifest,
  PreconditionFailedError,
  type IndexStorage,
} from '../../domain/vq/index.js';

/**
 * Which embedder's index answers queries: index/active.json. Each embedder
 * has its own index (index/<embedder key>/); the writers always fill the
 * configured embedder's, and queries move to it only when this pointer says
 * so, which a backfill does once every item is in it (docs/embeddings.md).
 */
export interface IndexGeneration {
  embedder: EmbedderInfo;
  /** The index's folder under index/: the embedder's key, or '' for the layout before indexes were per embedder. */
  root: string;
}

interface StoredPointer extends IndexGeneration {
  schemaVersion: 1;
  activatedAt: string;
}

export const generationOf = (embedder: EmbedderInfo): IndexGeneration => ({ embedder, root: embedderKey(embedder) });

/**
 * The pointer when there is one; else an index in the layout from before
 * indexes were per embedder (so an upgraded stack keeps answering from it);
 * else the configured embedder's.
 */
export async function readActiveGeneration(storage: IndexStorage, configured: EmbedderInfo, shards: number): Promise<IndexGeneration> {
  return (await readPointer(storage)) ?? (await findUnscopedIndex(storage, shards)) ?? generationOf(configured);
}

/**
 * Called by the writer before its first commit: from then on the pointer
 * exists, so configuring another model later never switches queries to its
 * index before a backfill has filled it. Racing writers agree (create-only write, then read).
 */
export async function pinActiveGeneration(storage: IndexStorage, configured: EmbedderInfo, shards: number): Promise<IndexGeneration> {
  const existing = await readPointer(storage);
  if (existing) return existing;
  const generation = (await findUnscopedIndex(storage, shards)) ?? generationOf(configured);
  try {
    await writePointer(storage, generation, { ifNoneMatch: '*' });
    return generation;
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    return (await readPointer(storage))!;
  }
}

/** Queries move to this embedder's index (the backfill's last step). */
export async function activateGeneration(storage: IndexStorage, embedder: EmbedderInfo): Promise<IndexGeneration> {
  const generation = generationOf(embedder);
  await writePointer(storage, generation);
  return generation;
}

export const isGenerationOf = (generation: IndexGeneration, embedder: EmbedderInfo) =>
  generation.root === embedderKey(embedder) && sameEmbedder(generation.embedder, embedder);

async function readPointer(storage: IndexStorage): Promise<IndexGeneration | undefined> {
  const key = indexKeys.active();
  const stored = await storage.get(key);
  if (!stored) return undefined;
  let pointer: Partial<StoredPointer>;
  try {
    pointer = JSON.parse(Buffer.from(stored.bytes).toString('utf8')) as Partial<StoredPointer>;
  } catch (error) {
    throw new CorruptIndexDataError(key, `not JSON: ${(error as Error).message}`);
  }
  const { embedder, root } = pointer;
  if (pointer.schemaVersion !== 1 || typeof root !== 'string' || !isEmbedderInfo(embedder))
    throw new CorruptIndexDataError(key, 'expected { schemaVersion: 1, embedder: { name, version, dimension }, root }');
  return { embedder, root };
}

function writePointer(storage: IndexStorage, generation: IndexGeneration, condition?: { ifNoneMatch: '*' }): Promise<string> {
  const pointer: StoredPointer = { schemaVersion: 1, ...generation, activatedAt: new Date().toISOString() };
  return storage.put(indexKeys.active(), Buffer.from(JSON.stringify(pointer)), 'application/json', condition);
}

async function findUnscopedIndex(storage: IndexStorage, shards: number): Promise<IndexGeneration | undefined> {
  const key = indexKeys.manifest(allShards(shards)[0]!);
  const stored = await storage.get(key);
  if (!stored) return undefined;
  const { embedder, dimension } = parseStoredManifest(key, stored.bytes);
  // Manifests written before the embedder was recorded were all the default embedder's first version.
  const firstDefault = createDefaultEmbedder(undefined, '1');
  return { embedder: embedder ?? { name: firstDefault.name, version: firstDefault.version, dimension }, root: '' };
}

function isEmbedderInfo(value: unknown): value is EmbedderInfo {
  const info = value as Partial<EmbedderInfo> | undefined;
  return typeof info?.name === 'string' && typeof info.version === 'string' && Number.isInteger(info.dimension);
}
