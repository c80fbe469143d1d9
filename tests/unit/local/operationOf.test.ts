import { describe, expect, it } from 'vitest';
import { operationOf } from '../../../local/operationOf.js';

const s3 = (method: string, url: string, headers = {}) => operationOf('s3', { method, url, headers });

describe('operationOf', () => {
  it('names S3 requests (path style) by what they do', () => {
    expect(s3('GET', '/media/uploads/a%20b.jpg?x-id=GetObject')).toBe('read');
    expect(s3('HEAD', '/media/uploads/a.jpg')).toBe('head');
    expect(s3('PUT', '/media/items/x/manifest.json?x-id=PutObject')).toBe('write');
    expect(s3('PUT', '/media/items/y', { 'x-amz-copy-source': '/media/items/x' })).toBe('write');
    expect(s3('POST', '/media/big.mp4?uploads')).toBe('write');
    expect(s3('PUT', '/media/big.mp4?partNumber=1&uploadId=u')).toBe('write');
    expect(s3('POST', '/media/big.mp4?uploadId=u')).toBe('write');
    expect(s3('GET', '/media?list-type=2&prefix=uploads%2F')).toBe('list');
    expect(s3('GET', '/media?delimiter=%2F&marker=a&prefix=items%2F')).toBe('list');
    expect(s3('GET', '/media/')).toBe('list');
    expect(s3('DELETE', '/media/items/x/manifest.json')).toBe('delete');
    expect(s3('POST', '/media?delete')).toBe('delete');
  });

  it('leaves bucket-level and configuration calls as other', () => {
    expect(s3('GET', '/')).toBe('other');
    expect(s3('PUT', '/media')).toBe('other');
    expect(s3('HEAD', '/media')).toBe('other');
    expect(s3('GET', '/media?notification')).toBe('other');
    expect(s3('PUT', '/media?notification')).toBe('other');
    expect(s3('DELETE', '/media')).toBe('other');
  });

  it('names SQS requests by action, in the JSON protocol and the query protocol', () => {
    const json = (action: string) => operationOf('sqs', { method: 'POST', url: '/', headers: { 'x-amz-target': `AmazonSQS.${action}` } });
    expect(json('SendMessage')).toBe('send');
    expect(json('SendMessageBatch')).toBe('send');
    expect(json('ReceiveMessage')).toBe('receive');
    expect(json('DeleteMessage')).toBe('delete');
    expect(json('DeleteMessageBatch')).toBe('delete');
    expect(json('ChangeMessageVisibility')).toBe('visibility');
    expect(json('GetQueueAttributes')).toBe('other');
    expect(operationOf('sqs', { method: 'POST', url: '/', headers: {}, body: 'Action=ReceiveMessage&QueueUrl=q' })).toBe('receive');
    expect(operationOf('sqs', { method: 'GET', url: '/000000000000/q?Action=DeleteMessage', headers: {} })).toBe('delete');
  });
});
