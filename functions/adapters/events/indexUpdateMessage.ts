import { UnrecognisedMessageError } from './errors.js';

interface IndexUpdateMessage {
  type: 'index-update';
  version: 1;
  op: 'upsert' | 'delete';
  itemId: string;
}

export function buildIndexUpdateMessage(update: { op: 'upsert' | 'delete'; itemId: string }): string {
  const message: IndexUpdateMessage = { type: 'index-update', version: 1, op: update.op, itemId: update.itemId };
  return JSON.stringify(message);
}

export function parseIndexUpdateMessage(messageBody: string): { op: 'upsert' | 'delete'; itemId: string } {
  const unrecognised = (detail: string) => new UnrecognisedMessageError(detail, 'index', 'an index update');
  let body: Partial<IndexUpdateMessage>;
  try {
    body = JSON.parse(messageBody) as Partial<IndexUpdateMessage>;
  } catch {
    throw unrecognised(`the body is not JSON (starts with ${JSON.stringify(messageBody.slice(0, 40))})`);
  }
  if (body?.type !== 'index-update' || body.version !== 1) throw unrecognised('it is not a version 1 index-update');
  if (body.op !== 'upsert' && body.op !== 'delete') throw unrecognised(`its op ${JSON.stringify(body.op)} is neither upsert nor delete`);
  if (typeof body.itemId !== 'string' || !/^[0-9a-f]{32}$/.test(body.itemId)) throw unrecognised('it names no item id');
  return { op: body.op, itemId: body.itemId };
}
