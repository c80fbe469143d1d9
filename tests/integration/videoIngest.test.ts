import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { decodeEmbedding, defaultEmbeddingDimension, embedderKey } from '../../functions/domain/embed/index.js';
import { displayProfile, type FoveatedManifest } from '../../functions/domain/foveate/index.js';
import { messageCounts } from '../../functions/adapters/store/index.js';
import { itemIdForContent, itemKeys, type ClipStream, type ErrorRecord, type ItemManifest } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { bucketObjects } from '../helpers/bucketObjects.js';
import { foveatedManifestSchemaErrors } from '../helpers/foveatedManifestSchema.js';
import {
  ffconcatList,
  ffmpeg,
  hlsPlaylist,
  makeAudioOnly,
  makeClip,
  makeRotatedClip,
  probeJson,
  realVideoNames,
  realVideoPath,
  truncated,
  videoPacketTimes,
} from '../helpers/testVideos.js';

interface GoodVideo {
  name: string;
  key: string;
  bytes: Buffer;
  /** Displayed size and the source video stream's duration, from ffprobe here, independently of the pipeline. */
  widthPx: number;
  heightPx: number;
  durationSeconds: number;
  frameRate: number;
}

/** Top-level MP4 box types in file order (faststart puts moov before mdat). */
function topLevelBoxes(bytes: Buffer): string[] {
  const boxes: string[] = [];
  for (let offset = 0; offset + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(offset);
    boxes.push(bytes.toString('latin1', offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

describe('video ingest through the local pipeline (s3rver + fauxqs, real ffmpeg)', () => {
  let pipeline: LocalPipeline;
  let dataDir: string;
  let mediaDir: string;
  const good: GoodVideo[] = [];

  const { getObject, getJsonObject } = bucketObjects(
    () => pipeline.s3,
    () => pipeline.resources.mediaBucket,
  );
  async function describeSource(name: string, key: string, path: string): Promise<GoodVideo> {
    const probed = probeJson(path);
    const video = probed.streams.find((stream) => stream.codec_type === 'video')!;
    const rotation = Math.abs(Number((video.side_data_list as { rotation?: number }[] | undefined)?.[0]?.rotation ?? 0)) % 180;
    const [width, height] = [Number(video.width), Number(video.height)];
    const [rateNumerator, rateDenominator] = String(video.avg_frame_rate).split('/').map(Number);
    return {
      name,
      key,
      bytes: await readFile(path),
      widthPx: rotation === 90 ? height : width,
      heightPx: rotation === 90 ? width : height,
      durationSeconds: Number(video.duration ?? probed.format.duration),
      frameRate: rateNumerator! / rateDenominator!,
    };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-video-ingest-'));
    mediaDir = await mkdtemp(join(tmpdir(), 'xr-video-media-'));
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT' });
    for (const name of realVideoNames) good.push(await describeSource(name, `uploads/videos/${name}`, realVideoPath(name)));
    const clip4k = makeClip({ widthPx: 3840, heightPx: 2160, seconds: 1, frameRate: 30, audio: true, path: join(mediaDir, '4k.mp4') });
    good.push(await describeSource('a 4K clip with audio', 'uploads/videos/4k.mp4', clip4k));
    const rotated = makeRotatedClip(mediaDir, join(mediaDir, 'rotated.mp4'));
    good.push(await describeSource('a clip with rotation metadata', 'uploads/videos/phone.mp4', rotated));
    const webm = makeClip({ widthPx: 640, heightPx: 360, seconds: 2, path: join(mediaDir, 'clip.webm') });
    good.push(await describeSource('a WebM (VP8) clip', 'uploads/videos/clip.webm', webm));

    const started = Date.now();
    for (const video of good) await pipeline.upload(video.key, video.bytes);
    await pipeline.waitForIdle(240_000);
    // Logged, not asserted: speed is measured by bench:video.
    console.log(`video ingest: ${good.length} videos in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(mediaDir, { recursive: true, force: true });
  });

  const byName = (name: string) => good.find((video) => video.name === name)!;
  const cases = () => [...realVideoNames, 'a 4K clip with audio', 'a clip with rotation metadata', 'a WebM (VP8) clip'];

  it.each(cases())(
    'turns %s into a ready video item: manifest, poster previews and layers, two clip streams, an embedding',
    async (name) => {
      const video = byName(name);
      const itemId = itemIdForContent(video.bytes);
      const manifest = (await getJsonObject<ItemManifest>(itemKeys.manifest(itemId)))!;
      expect(manifest).toMatchObject({ itemId, kind: 'video', status: 'ready', widthPx: video.widthPx, heightPx: video.heightPx });
      expect(manifest.source).toMatchObject({ key: video.key, bytes: video.bytes.length });
      expect(manifest.video!.durationSeconds).toBeCloseTo(video.durationSeconds, 1);
      expect(await getObject(itemKeys.errorRecord(video.key))).toBeUndefined();

      // The poster: gallery previews of the video's shape, and foveated layers through the image path.
      expect(manifest.previews.map((preview) => preview.role).sort()).toEqual(['preview', 'thumb']);
      for (const preview of manifest.previews) {
        const stored = await sharp(await getObject(preview.key)).metadata();
        expect([stored.width, stored.height]).toEqual([preview.widthPx, preview.heightPx]);
        expect(Math.abs(preview.widthPx / preview.heightPx - video.widthPx / video.heightPx)).toBeLessThan(0.02);
      }
      expect(manifest.video!.posterSeconds).toBeGreaterThanOrEqual(0);
      expect(manifest.video!.posterSeconds).toBeLessThan(video.durationSeconds);
      const layers = (await getJsonObject<FoveatedManifest>(manifest.foveated!.key))!;
      expect(foveatedManifestSchemaErrors(layers)).toEqual([]);
      expect(layers.source).toEqual({ widthPx: video.widthPx, heightPx: video.heightPx });
      const baseFile = layers.layers.find((layer) => layer.role === 'base')!.tiles[0]!.files[0]!;
      expect((await getObject(baseFile.key))?.length).toBe(baseFile.bytes);

      // The clip: base (whole frame) and centre, H.264 MP4 with faststart, same frames at the same times.
      const { clip } = manifest.video!;
      expect(clip.streams.map((stream) => stream.role)).toEqual(['base', 'centre']);
      const times: number[][] = [];
      for (const stream of clip.streams) {
        const bytes = (await getObject(stream.key))!;
        expect(bytes.length).toBe(stream.bytes);
        const boxes = topLevelBoxes(bytes);
        expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
        expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
        const path = join(mediaDir, `${itemId}-${stream.role}.mp4`);
        await writeFile(path, bytes);
        const encoded = probeJson(path).streams.find((entry) => entry.codec_type === 'video')!;
        expect(encoded).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: stream.widthPx, height: stream.heightPx });
        expect(stream.codecs).toMatch(/^avc1\.64[0-9a-f]{4}/);
        times.push(videoPacketTimes(path));
      }
      expect(times[0]).toEqual(times[1]);
      // The frames span the source's duration to within one frame.
      const frame = 1 / video.frameRate;
      const span = times[0]![times[0]!.length - 1]! - times[0]![0]! + frame;
      expect(Math.abs(span - video.durationSeconds)).toBeLessThanOrEqual(frame + 1e-3);
      for (const stream of clip.streams) expect(Math.abs(stream.durationSeconds - video.durationSeconds)).toBeLessThanOrEqual(frame + 1e-3);
      const [base, centre] = clip.streams as [ClipStream, ClipStream];
      expect(base.rect).toEqual([0, 0, 1, 1]);
      expect(centre.rect[0]).toBeGreaterThanOrEqual(0);
      expect(centre.rect[2]).toBeLessThanOrEqual(1);
      // Where the base is flat, the centre is drawn over it.
      if (base.holeRect) {
        expect(base.holeRect[0]).toBeGreaterThan(centre.rect[0]);
        expect(base.holeRect[1]).toBeGreaterThan(centre.rect[1]);
        expect(base.holeRect[2]).toBeLessThan(centre.rect[2]);
        expect(base.holeRect[3]).toBeLessThan(centre.rect[3]);
      }
      expect(centre.holeRect).toBeUndefined();
      expect(base.ppd).toBeLessThan(centre.ppd);
      expect(centre.ppd).toBeLessThanOrEqual(Math.max(...pipelineConfig.foveation.profiles.map((id) => displayProfile(id).ppd)));

      // The embedding: pooled keyframes, unit length, the default embedder's dimension.
      expect(manifest.embedding!.key).toBe(`${itemKeys.folder(itemId)}embeddings/${embedderKey(manifest.embedding!)}.f32`);
      const embedding = decodeEmbedding((await getObject(manifest.embedding!.key))!, defaultEmbeddingDimension);
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 4);
      const keyframes = manifest.video!.shots.flatMap((shot) => shot.keyframeSeconds);
      expect(keyframes.length).toBeGreaterThan(0);
      expect(keyframes.length).toBeLessThanOrEqual(pipelineConfig.embedding.maxKeyframes);
    },
  );

  it('sizes the 4K clip from the display profiles: the centre at the source PPD below 44, the base far smaller', async () => {
    const manifest = (await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(byName('a 4K clip with audio').bytes))))!;
    const [base, centre] = manifest.video!.clip.streams;
    // 3840 px over the 90° flat panel is 33.5 PPD at the axis: under Vision Pro's 44, so the source's own.
    expect(centre!.ppd).toBeCloseTo(33.5, 0);
    expect(base!.ppd).toBeCloseTo(8, 0);
    expect(base!.widthPx * base!.heightPx + centre!.widthPx * centre!.heightPx).toBeLessThan(0.35 * 3840 * 2160);
    expect(base!.hasAudio).toBe(true);
    expect(base!.codecs).toMatch(/,mp4a\.40\.2$/);
    expect(centre!.hasAudio).toBe(false);
    expect(manifest.video!.streams.map((stream) => stream.type).sort()).toEqual(['audio', 'video']);
  });

  it('records the rotation and stores the clip and poster upright (portrait)', async () => {
    const manifest = (await getJsonObject<ItemManifest>(
      itemKeys.manifest(itemIdForContent(byName('a clip with rotation metadata').bytes)),
    ))!;
    expect(manifest.video!.rotationDeg).toBe(90);
    expect([manifest.widthPx, manifest.heightPx]).toEqual([180, 320]);
    for (const stream of manifest.video!.clip.streams) expect(stream.heightPx).toBeGreaterThan(stream.widthPx);
  });

  it('makes one item of the same video uploaded twice, and deletes it, clip and all, with its last source', async () => {
    const video = byName('tree.avi');
    const itemId = itemIdForContent(video.bytes);
    await pipeline.upload('uploads/videos/tree copy.avi', video.bytes);
    await pipeline.waitForIdle(60_000);
    const links = await pipeline.s3.send(
      new ListObjectsV2Command({ Bucket: pipeline.resources.mediaBucket, Prefix: itemKeys.sourcesFolder(itemId) }),
    );
    expect(links.KeyCount).toBe(2);
    for (const key of [video.key, 'uploads/videos/tree copy.avi']) {
      await pipeline.s3.send(new DeleteObjectCommand({ Bucket: pipeline.resources.mediaBucket, Key: key }));
      await pipeline.waitForIdle(60_000);
    }
    const left = await pipeline.s3.send(
      new ListObjectsV2Command({ Bucket: pipeline.resources.mediaBucket, Prefix: itemKeys.folder(itemId) }),
    );
    expect(left.KeyCount ?? 0).toBe(0);
  });

  it('routes a video larger than the image limit to the video function instead of refusing it as too large', async () => {
    // A 1 s clip padded past image.maxBytes with a trailing zero-size box (MP4 readers skip it).
    const clip = await readFile(makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(mediaDir, 'padded.mp4'), faststart: true }));
    const bytes = Buffer.concat([clip, Buffer.alloc(pipelineConfig.image.maxBytes + 1024 * 1024 - clip.length)]);
    const key = 'uploads/videos/large.mp4';
    await pipeline.upload(key, bytes);
    await pipeline.waitForIdle(120_000);
    expect(await getObject(itemKeys.errorRecord(key))).toBeUndefined();
    const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(bytes)));
    expect(manifest).toMatchObject({ kind: 'video', status: 'ready', widthPx: 160, heightPx: 120 });
  });

  describe('bad input', () => {
    const bad: { name: string; key: string; bytes: Buffer; code: string; reason: RegExp }[] = [];
    const goodAmongBad = { key: 'uploads/after-bad/ok.mp4', bytes: Buffer.alloc(0) };
    let seconds = 0;

    beforeAll(async () => {
      const moovAtEnd = makeClip({ widthPx: 320, heightPx: 240, seconds: 2, path: join(mediaDir, 'moov-at-end.mp4') });
      const faststart = makeClip({ widthPx: 320, heightPx: 240, seconds: 4, path: join(mediaDir, 'faststart.mp4'), faststart: true });
      const local = makeClip({ widthPx: 160, heightPx: 120, seconds: 1, path: join(mediaDir, 'local-secret.ts') });
      const tooLong = join(mediaDir, 'too-long.mp4');
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'color=c=gray:size=16x16:rate=1',
        '-t',
        String(pipelineConfig.video.limits.maxDurationSeconds + 5),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        tooLong,
      ]);
      const tooLarge = makeClip({
        widthPx: 4608,
        heightPx: 2592,
        seconds: 0.04,
        path: join(mediaDir, 'too-large.mp4'),
        pattern: 'color=c=gray',
      });
      bad.push(
        {
          name: 'a truncated MP4 (index at the end, cut in half)',
          key: 'uploads/bad/cut.mp4',
          bytes: truncated(moovAtEnd, 0.5),
          code: 'truncated',
          reason: /moov atom not found/,
        },
        {
          name: 'a truncated MP4 (index first, frames cut at 40%)',
          key: 'uploads/bad/cut-faststart.mp4',
          bytes: truncated(faststart, 0.4),
          code: 'truncated',
          reason: /states 4\.00 s but its frames end at/,
        },
        { name: 'a zero-byte file named .mp4', key: 'uploads/bad/empty.mp4', bytes: Buffer.alloc(0), code: 'empty-file', reason: /empty/ },
        {
          name: 'an audio-only MP4',
          key: 'uploads/bad/tone.mp4',
          bytes: await readFile(makeAudioOnly(join(mediaDir, 'tone.mp4'), 2)),
          code: 'no-video-stream',
          reason: /only audio/,
        },
        {
          name: 'an HLS playlist renamed .mp4 naming a local file',
          key: 'uploads/bad/playlist.mp4',
          bytes: hlsPlaylist(local),
          code: 'unsupported-type',
          reason: /match no known media type/,
        },
        {
          name: 'an ffconcat list renamed .mp4',
          key: 'uploads/bad/concat.mp4',
          bytes: ffconcatList(local),
          code: 'unsupported-type',
          reason: /match no known media type/,
        },
        {
          name: 'a video longer than the limit',
          key: 'uploads/bad/long.mp4',
          bytes: await readFile(tooLong),
          code: 'too-long',
          reason: /limited to 5 min/,
        },
        {
          name: 'a frame size beyond the limit',
          key: 'uploads/bad/huge.mp4',
          bytes: await readFile(tooLarge),
          code: 'too-many-pixels',
          reason: /4608×2592/,
        },
      );
      goodAmongBad.bytes = await readFile(makeClip({ widthPx: 320, heightPx: 240, seconds: 1, path: join(mediaDir, 'after-bad.mp4') }));
      const started = Date.now();
      for (const input of bad) await pipeline.upload(input.key, input.bytes);
      await pipeline.upload(goodAmongBad.key, goodAmongBad.bytes);
      await pipeline.waitForIdle(180_000);
      seconds = (Date.now() - started) / 1000;
    }, 240_000);

    it.each([0, 1, 2, 3, 4, 5, 6, 7])('records bad input #%i as one clear error record and no item', async (index) => {
      const input = bad[index]!;
      const record = await getJsonObject<ErrorRecord>(itemKeys.errorRecord(input.key));
      expect(record, input.name).toMatchObject({ key: input.key, code: input.code, bytes: input.bytes.length });
      expect(record!.reason, input.name).toMatch(input.reason);
      expect(await getObject(itemKeys.sourceRecord(input.key))).toBeUndefined();
      expect(await getObject(itemKeys.manifest(itemIdForContent(input.bytes)))).toBeUndefined();
    });

    it('rejects them in bounded time without a retry or a dead letter, and the worker goes on to the next video', async () => {
      expect(seconds).toBeLessThan(120);
      expect(pipeline.failedMessages()).toBe(0);
      for (const queue of [pipeline.resources.queues.video.deadLetter, pipeline.resources.queues.ingest.deadLetter]) {
        expect((await messageCounts(pipeline.sqs, queue.url)).waiting).toBe(0);
      }
      const manifest = await getJsonObject<ItemManifest>(itemKeys.manifest(itemIdForContent(goodAmongBad.bytes)));
      expect(manifest).toMatchObject({ kind: 'video', status: 'ready' });
    });
  });
});
