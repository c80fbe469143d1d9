import { decodeEmbedding, encodeEmbedding } from '../../domain/embed/index.js';
import type { IndexUpdate } from '../../stages/ingest/index.js';
import { UnrecognisedMessageError } from './errors.js';

/**
 * The index queue's message body. Version 2 carries several updates of one
 * shard, each upsert with its vector (float32 little-endian, base64): the
 * FIFO queue hands the indexer at most ten messages of a group per batch, so
 * one update per message (version 1, still read) capped a commit at ten.
 */
interface IndexUpdateMessage {
  type: 'index-update';
  version: 2;
  updates: MessageEntry[];
}

type MessageEntry = { op: 'upsert'; itemId: string; embedder?: string; vector?: string } | { op: 'delete'; itemId: string };

interface LegacyIndexUpdateMessage {
  type: 'index-update';
  version: 1;
  op: 'upsert' | 'delete';
  itemId: string;
}

const itemIdPattern = /^[0-9a-f]{32}$/;

/**
 * Packs updates, in order, into as few bodies of at most `maxBytes` as it can.
 * An upsert whose vector alone would not fit goes without it (the indexer reads it from S3).
 */
export function buildIndexUpdateMessages(updates: readonly IndexUpdate[], maxBytes: number): string[] {
  const envelope = (entries: string[]) => `{"type":"index-update","version":2,"updates":[${entries.join(',')}]}`;
  const envelopeBytes = envelope([]).length;
  const bodies: string[] = [];
  let entries: string[] = [];
  // The first entry of a body has no comma before it.
  let bytes = envelopeBytes - 1;
  for (const update of updates) {
    let entry = JSON.stringify(toEntry(update));
    if (envelopeBytes + Buffer.byteLength(entry) > maxBytes) entry = JSON.stringify({ op: update.op, itemId: update.itemId });
    // One byte more for the comma after the previous entry.
    const entryBytes = Buffer.byteLength(entry) + 1;
    if (entries.length > 0 && bytes + entryBytes > maxBytes) {
      bodies.push(envelope(entries));
      entries = [];
      bytes = envelopeBytes - 1;
    }
    bytes += entryBytes;
    entries.push(entry);
  }
  if (entries.length > 0) bodies.push(envelope(entries));
  return bodies;
}

function toEntry(update: IndexUpdate): MessageEntry {
  if (update.op === 'delete' || !update.vector) return { op: update.op, itemId: update.itemId };
  const vector = Buffer.from(encodeEmbedding(update.vector.values)).toString('base64');
  return { op: 'upsert', itemId: update.itemId, embedder: update.vector.embedderKey, vector };
}

/** The updates a message carries, in order; a body that is not one (or names a bad id or vector) is refused whole. */
export function parseIndexUpdateMessage(messageBody: string): IndexUpdate[] {
  const unrecognised = (detail: string) => new UnrecognisedMessageError(detail, 'index', 'an index update');
  let body: Partial<IndexUpdateMessage> | Partial<LegacyIndexUpdateMessage>;
  try {
    body = JSON.parse(messageBody) as typeof body;
  } catch {
    throw unrecognised(`the body is not JSON (starts with ${JSON.stringify(messageBody.slice(0, 40))})`);
  }
  if (body?.type !== 'index-update') throw unrecognised('it is not an index-update');
  if (body.version === 1) return [parseEntry(body, (detail) => unrecognised(`it has ${detail}`))];
  if (body.version !== 2) throw unrecognised(`its version ${JSON.stringify(body.version)} is neither 1 nor 2`);
  const { updates } = body;
  if (!Array.isArray(updates) || updates.length === 0) throw unrecognised('it carries no updates');
  return updates.map((entry, index) => parseEntry(entry, (detail) => unrecognised(`its update ${index} has ${detail}`)));
}

function parseEntry(
  entry: Partial<{ op: unknown; itemId: unknown; embedder: unknown; vector: unknown }> | null,
  unrecognised: (detail: string) => UnrecognisedMessageError,
): IndexUpdate {
  if (entry?.op !== 'upsert' && entry?.op !== 'delete')
    throw unrecognised(`an op ${JSON.stringify(entry?.op)} that is neither upsert nor delete`);
  if (typeof entry.itemId !== 'string' || !itemIdPattern.test(entry.itemId)) throw unrecognised('no item id');
  if (entry.op === 'delete' || entry.vector === undefined) return { op: entry.op, itemId: entry.itemId };
  if (typeof entry.embedder !== 'string' || entry.embedder.length === 0) throw unrecognised('a vector without its embedder');
  if (typeof entry.vector !== 'string') throw unrecognised('a vector that is not a base64 string');
  const bytes = Buffer.from(entry.vector, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0) throw unrecognised(`a vector of ${bytes.length} bytes, not whole float32s`);
  const values = decodeEmbedding(bytes);
  if (!values.every(Number.isFinite)) throw unrecognised('a vector with a value that is not finite');
  return { op: 'upsert', itemId: entry.itemId, vector: { embedderKey: entry.embedder, values } };
}
