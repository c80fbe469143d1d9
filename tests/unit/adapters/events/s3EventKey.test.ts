import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, encodeS3EventKey } from '../../../../functions/adapters/events/index.js';

describe('S3 event keys', () => {
  it('decodes the form-style encoding S3 uses in notifications', () => {
    expect(decodeS3EventKey('uploads/my+photo+%2B1.jpg')).toBe('uploads/my photo +1.jpg');
    expect(decodeS3EventKey('uploads/%C3%A9t%C3%A9/a%3Db.jpg')).toBe('uploads/été/a=b.jpg');
  });

  it('encodes spaces as + and keeps / as the separator', () => {
    expect(encodeS3EventKey('uploads/a b/c+d.jpg')).toBe('uploads/a+b/c%2Bd.jpg');
  });

  it.each([
    'uploads/plain.jpg',
    'uploads/Holiday 2026/été + plage 100% ☀️ a=b.jpg',
    "uploads/quotes'(and)*stars!.png",
    'uploads/deep/'.repeat(20) + 'x.webp',
    'uploads/%41 literal percent-41.jpg',
  ])('round-trips %s', (key) => {
    const encoded = encodeS3EventKey(key);
    expect(encoded).not.toContain(' ');
    expect(decodeS3EventKey(encoded)).toBe(key);
  });
});
