import { describe, expect, it } from 'vitest';
import {
  buildIndexUpdateMessages,
  parseIndexUpdateMessage,
  UnrecognisedMessageError,
} from '../../../../functions/adapters/events/index.js';
import type { IndexUpdate } from '../../../../functions/stages/ingest/index.js';

const itemId = (n: number) => n.toString(16).padStart(32, '0');
const vectorOf = (n: number, dimension = 256) => Float32Array.from({ length: dimension }, (_, i) => Math.sin(n * 7 + i) * 0.1);
const upsert = (n: number): IndexUpdate => ({
  op: 'upsert',
  itemId: itemId(n),
  vector: { embedderKey: 'xr-default-image-2', values: vectorOf(n) },
});
const sqsLimit = 256 * 1024;

describe('index update messages', () => {
  it('round-trip upserts with their vectors bit for bit, deletes, and upserts without a vector, in order', () => {
    const updates: IndexUpdate[] = [upsert(1), { op: 'delete', itemId: itemId(2) }, { op: 'upsert', itemId: itemId(3) }, upsert(1)];
    const bodies = buildIndexUpdateMessages(updates, sqsLimit);
    expect(bodies).toHaveLength(1);
    expect(parseIndexUpdateMessage(bodies[0]!)).toEqual(updates);
  });

  it('pack in order into as few bodies under the byte limit as fit', () => {
    const updates = Array.from({ length: 1000 }, (_, n) => upsert(n));
    const limit = 240 * 1024;
    const bodies = buildIndexUpdateMessages(updates, limit);
    const perUpdate = Buffer.byteLength(bodies[0]!) / parseIndexUpdateMessage(bodies[0]!).length;
    for (const body of bodies) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(limit);
    // Every body but the last is full: one more update would not have fitted.
    for (const body of bodies.slice(0, -1)) expect(Buffer.byteLength(body) + perUpdate).toBeGreaterThan(limit);
    expect(bodies.flatMap(parseIndexUpdateMessage).map((update) => update.itemId)).toEqual(updates.map((update) => update.itemId));
    expect(bodies.length).toBe(Math.ceil(1000 / Math.floor(limit / perUpdate)));
  });

  it('send an upsert whose vector alone would not fit without it', () => {
    const [body, ...rest] = buildIndexUpdateMessages([upsert(5)], 500);
    expect(rest).toEqual([]);
    expect(Buffer.byteLength(body!)).toBeLessThanOrEqual(500);
    expect(parseIndexUpdateMessage(body!)).toEqual([{ op: 'upsert', itemId: itemId(5) }]);
  });

  it('still read the one-update messages of version 1 (in flight across a deploy)', () => {
    expect(parseIndexUpdateMessage(JSON.stringify({ type: 'index-update', version: 1, op: 'delete', itemId: itemId(9) }))).toEqual([
      { op: 'delete', itemId: itemId(9) },
    ]);
  });

  const envelope = (updates: unknown) => JSON.stringify({ type: 'index-update', version: 2, updates });
  const id = itemId(4);
  it.each([
    ['not JSON', 'hello', /the body is not JSON/],
    ['an S3 event', JSON.stringify({ Records: [] }), /not an index-update/],
    ['a later version', JSON.stringify({ type: 'index-update', version: 3, updates: [] }), /version 3 is neither 1 nor 2/],
    ['no updates', envelope([]), /carries no updates/],
    [
      'a bad op',
      envelope([
        { op: 'delete', itemId: id },
        { op: 'put', itemId: id },
      ]),
      /update 1 has an op "put"/,
    ],
    ['no item id', envelope([{ op: 'delete', itemId: '../x' }]), /update 0 has no item id/],
    ['a vector without its embedder', envelope([{ op: 'upsert', itemId: id, vector: 'AAAAAA==' }]), /without its embedder/],
    ['a vector of odd bytes', envelope([{ op: 'upsert', itemId: id, embedder: 'e', vector: 'AAAA' }]), /3 bytes, not whole float32s/],
    ['a vector holding NaN', envelope([{ op: 'upsert', itemId: id, embedder: 'e', vector: 'AADAfw==' }]), /not finite/],
    ['a v1 message with no id', JSON.stringify({ type: 'index-update', version: 1, op: 'upsert' }), /it has no item id/],
  ])('refuse %s, saying which queue got it and why', (_name, body, why) => {
    expect(() => parseIndexUpdateMessage(body)).toThrow(UnrecognisedMessageError);
    expect(() => parseIndexUpdateMessage(body)).toThrow(/^the index queue received a message that is not an index update/);
    expect(() => parseIndexUpdateMessage(body)).toThrow(why);
  });
});
