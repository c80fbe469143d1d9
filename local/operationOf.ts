import type { IncomingHttpHeaders } from 'node:http';

/** What a request to S3 or SQS does, as far as a faulty network cares. */
export const operationKinds = ['read', 'head', 'write', 'list', 'delete', 'send', 'receive', 'visibility', 'other'] as const;
export type OperationKind = (typeof operationKinds)[number];

export type ProxiedService = 's3' | 'sqs';

/** The SQS actions by kind; the rest (queue attributes, URLs, creation) are 'other'. */
const sqsActions: Record<string, OperationKind> = {
  SendMessage: 'send',
  SendMessageBatch: 'send',
  ReceiveMessage: 'receive',
  DeleteMessage: 'delete',
  DeleteMessageBatch: 'delete',
  ChangeMessageVisibility: 'visibility',
  ChangeMessageVisibilityBatch: 'visibility',
};

/** The SQS action a request names: `X-Amz-Target: AmazonSQS.<Action>` (JSON protocol) or `Action=` in the query or form body (query protocol). */
function sqsActionOf(url: string, headers: IncomingHttpHeaders, body: string): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const query = new URL(url, 'http://proxy').searchParams.get('Action');
  if (query) return query;
  return new URLSearchParams(body).get('Action') ?? undefined;
}

/**
 * The operation kind of one request. S3 requests are path-style (`/bucket/key`, as the
 * local clients send them): GetObject is a read, PutObject, CopyObject and the multipart
 * calls are writes, ListObjects(V2) a list, DeleteObject(s) a delete; bucket-level and
 * configuration calls are 'other'.
 */
export function operationOf(
  service: ProxiedService,
  request: { method: string; url: string; headers: IncomingHttpHeaders; body?: string },
): OperationKind {
  if (service === 'sqs') {
    const action = sqsActionOf(request.url, request.headers, request.body ?? '');
    return (action === undefined ? undefined : sqsActions[action]) ?? 'other';
  }
  const url = new URL(request.url, 'http://proxy');
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  const hasKey = keyParts.join('/') !== '';
  const query = url.searchParams;
  if (bucket === '') return 'other';
  switch (request.method) {
    case 'GET':
      if (hasKey) return query.has('uploadId') ? 'other' : 'read';
      // A bucket GET with no subresource (or list-type=2) lists objects; ?location, ?notification... do not.
      return [...query.keys()].every((name) => listParameters.has(name)) ? 'list' : 'other';
    case 'HEAD':
      return hasKey ? 'head' : 'other';
    case 'PUT':
      return hasKey ? 'write' : 'other';
    case 'POST':
      if (!hasKey) return query.has('delete') ? 'delete' : 'other';
      return query.has('uploads') || query.has('uploadId') ? 'write' : 'other';
    case 'DELETE':
      if (!hasKey) return 'other';
      // Aborting a multipart upload is part of a failed write, not a delete of an object.
      return query.has('uploadId') ? 'write' : 'delete';
    default:
      return 'other';
  }
}

const listParameters = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'start-after',
  'continuation-token',
  'encoding-type',
  'fetch-owner',
  'x-id',
]);
