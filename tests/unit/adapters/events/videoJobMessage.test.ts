import { describe, expect, it } from 'vitest';
import { buildVideoJobMessage, parseVideoJobMessage, UnrecognisedMessageError } from '../../../../functions/adapters/events/index.js';

describe('video job messages', () => {
  it('round-trip a key and a sniffed type', () => {
    const job = { key: 'uploads/trip/clip 1.mp4', mime: 'video/mp4' as const };
    expect(parseVideoJobMessage(buildVideoJobMessage(job))).toEqual(job);
  });

  it.each([
    ['not JSON', 'hello'],
    ['an S3 event', JSON.stringify({ Records: [] })],
    ['no key', JSON.stringify({ type: 'video-job', version: 1, mime: 'video/mp4' })],
    ['an image type', JSON.stringify({ type: 'video-job', version: 1, key: 'uploads/a.jpg', mime: 'image/jpeg' })],
    ['a later version', JSON.stringify({ type: 'video-job', version: 2, key: 'uploads/a.mp4', mime: 'video/mp4' })],
  ])('refuse %s, saying which queue got it', (_name, body) => {
    expect(() => parseVideoJobMessage(body)).toThrow(UnrecognisedMessageError);
    expect(() => parseVideoJobMessage(body)).toThrow(/^the video queue received a message that is not a video job/);
  });
});
