import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { pipelineConfig } from '../../config/index.js';
import type { Embedder, RawPixels } from '../../domain/embed/index.js';
import type { PxBox } from '../../domain/foveate/index.js';
import {
  itemIdForFile,
  itemKeys,
  itemManifestSchemaVersion,
  putJson,
  type ClipStream,
  type ItemManifest,
} from '../../domain/items/index.js';
import {
  EmptyFileError,
  FileTooLargeError,
  MediaRejectedError,
  renderImagePreviews,
  sniffMediaType,
  supportedVideoMimes,
  UnsupportedTypeError,
} from '../../domain/media/index.js';
import {
  demuxerByMime,
  processVideo,
  type EncodeProgress,
  type FfmpegBinaries,
  type ProcessedClipStream,
  type ProcessedVideo,
  type VideoSettings,
} from '../../domain/video/index.js';
import {
  immutableCacheControl,
  videoWorkDirPrefix,
  clearErrorRecord,
  rejectUpload,
  settleExistingItem,
  linkSource,
  uploadVersion,
  storePreviews,
  announceToIndex,
  storeItemEmbedding,
  writeFoveatedPreview,
  type IngestDeps,
  type IngestOutcome,
  type UploadCreated,
} from '../ingest/index.js';

export interface VideoIngestDeps extends Pick<IngestDeps, 'store' | 'limits' | 'foveation' | 'now' | 'indexUpdates'> {
  /** pipelineConfig.video */
  video: VideoSettings;
  embedder: Embedder;
  /** pipelineConfig.embedding.maxKeyframes */
  maxKeyframes: number;
  binaries: FfmpegBinaries;
  /** Where each job's temporary folder is made; the OS temp folder (Lambda's /tmp) by default. */
  workRoot?: string;
  onProgress?: (progress: EncodeProgress & { key: string }) => void;
}

/**
 * Turns one video upload into exactly one item or one error record, like
 * ingestUpload for images. The upload is streamed to a temporary file (never
 * held in memory), sniffed again (the queue message is not trusted), probed
 * and checked against the limits before anything is decoded; every output is
 * stored before the manifest that names them, so a crash leaves no item that
 * looks complete. The temporary folder is removed whatever happens.
 */
export async function ingestVideoUpload(
  deps: VideoIngestDeps,
  upload: UploadCreated,
  options: { deadlineMs?: number } = {},
): Promise<IngestOutcome> {
  const { store, video } = deps;
  const now = deps.now ?? (() => new Date());
  const info = await store.head(upload.key);
  if (!info) return { outcome: 'stale', reason: 'the upload no longer exists (deleted after this event)' };
  const workDir = await mkdtemp(join(deps.workRoot ?? tmpdir(), videoWorkDirPrefix));
  try {
    if (info.bytes === 0) throw new EmptyFileError();
    if (info.bytes > video.limits.maxBytes) throw new FileTooLargeError(info.bytes, video.limits.maxBytes, 'videos');
    const sourcePath = join(workDir, 'source');
    if (!(await store.downloadToFile(upload.key, sourcePath))) {
      return { outcome: 'stale', reason: 'the upload was deleted while it was being read' };
    }
    const sniffed = await sniffMediaType(await readFileHead(sourcePath, pipelineConfig.ingest.sniffBytes));
    if (sniffed.kind !== 'video') throw new UnsupportedTypeError(sniffed.mime, supportedVideoMimes);
    const itemId = await itemIdForFile(sourcePath);

    if ((await settleExistingItem(deps, upload.key, itemId, uploadVersion(info))).duplicate) {
      await announceToIndex(deps, itemId);
      return { outcome: 'duplicate', itemId };
    }

    const processed = await processVideo({
      binaries: deps.binaries,
      input: { path: sourcePath, demuxer: demuxerByMime[sniffed.mime] },
      workDir,
      settings: video,
      foveation: deps.foveation ?? pipelineConfig.foveation,
      embedder: deps.embedder,
      maxKeyframes: deps.maxKeyframes,
      deadlineMs: options.deadlineMs,
      onProgress: deps.onProgress && ((progress) => deps.onProgress?.({ ...progress, key: upload.key })),
    });
    const manifest = await storeVideoItem(deps, itemId, processed, {
      key: upload.key,
      bytes: info.bytes,
      mime: sniffed.mime,
      uploadedAt: info.lastModified.toISOString(),
    });
    await linkSource(store, upload.key, itemId, uploadVersion(info));
    await clearErrorRecord(store, upload.key);
    await announceToIndex(deps, itemId, { vector: processed.embedding, embedder: deps.embedder });
    return { outcome: 'created', itemId, manifest };
  } catch (error) {
    if (!(error instanceof MediaRejectedError)) throw error;
    return rejectUpload(deps, upload.key, error, info, now());
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Poster previews and layers, both clip streams and the embedding, then the manifest that names them. */
async function storeVideoItem(
  deps: VideoIngestDeps,
  itemId: string,
  processed: ProcessedVideo,
  source: ItemManifest['source'],
): Promise<ItemManifest> {
  const { store } = deps;
  const { probe, plan } = processed;
  // The poster is an image like any upload: the same previews and foveated layers.
  const poster = await losslessPng(processed.poster.pixels);
  const previews = await storePreviews(store, itemId, (await renderImagePreviews(poster, 'image/png', deps.limits)).previews);
  const foveated = await writeFoveatedPreview(deps, itemId, poster, 'image/png').catch((error: unknown) => {
    // The poster's pixels came from ffmpeg, not the user: a failure here is a fault to retry, not a rejection.
    throw error instanceof MediaRejectedError ? new Error(`poster layers failed: ${error.message}`) : error;
  });
  const streams: ClipStream[] = [];
  for (const [stream, planned] of [
    [processed.base, plan.base],
    [processed.centre, plan.centre],
  ] as const) {
    streams.push(await storeClipStream(deps, itemId, stream, planned, plan.source));
  }
  const embedding = await storeItemEmbedding(store, itemId, processed.embedding, deps.embedder);

  const manifest: ItemManifest = {
    schemaVersion: itemManifestSchemaVersion,
    itemId,
    kind: 'video',
    status: 'ready',
    source,
    widthPx: probe.video.widthPx,
    heightPx: probe.video.heightPx,
    previews,
    foveated,
    embedding,
    video: {
      durationSeconds: probe.durationSeconds,
      frameRate: probe.video.frameRate,
      rotationDeg: probe.video.rotationDeg,
      container: probe.container,
      streams: probe.streams,
      posterSeconds: processed.poster.seconds,
      shots: processed.shots,
      clip: {
        schemaVersion: 1,
        profiles: plan.profiles,
        surface: { ...plan.surface, yawDeg: [...plan.surface.yawDeg], pitchDeg: [...plan.surface.pitchDeg] },
        foveaRadiusDeg: plan.foveaRadiusDeg,
        durationSeconds: processed.centre.facts.durationSeconds,
        frameRate: Math.min(probe.video.frameRate, deps.video.clip.maxFrameRate),
        streams,
      },
    },
  };
  await putJson(store, itemKeys.manifest(itemId), manifest);
  return manifest;
}

async function storeClipStream(
  deps: VideoIngestDeps,
  itemId: string,
  stream: ProcessedClipStream,
  planned: ProcessedVideo['plan']['base'],
  frame: { widthPx: number; heightPx: number },
): Promise<ClipStream> {
  const role = planned.role === 'centre' ? 'centre' : 'base';
  const key = itemKeys.preview(itemId, `clip/${role}.mp4`);
  await deps.store.putFile(key, stream.path, { contentType: 'video/mp4', cacheControl: immutableCacheControl });
  const { x0, y0, x1, y1 } = planned.source;
  const { size } = await stat(stream.path);
  return {
    role,
    key,
    mime: 'video/mp4',
    codecs: stream.facts.codecs,
    bytes: size,
    widthPx: planned.widthPx,
    heightPx: planned.heightPx,
    ppd: planned.ppd,
    rect: [x0 / frame.widthPx, y0 / frame.heightPx, x1 / frame.widthPx, y1 / frame.heightPx],
    ...(planned.hole ? { holeRect: holeRect(planned.hole, planned) } : {}),
    durationSeconds: stream.facts.durationSeconds,
    hasAudio: stream.facts.hasAudio,
  };
}

/** A hole in the base's output pixels as fractions of the frame (the base shows the whole frame). */
function holeRect(hole: PxBox, base: { widthPx: number; heightPx: number }): [number, number, number, number] {
  return [hole.x0 / base.widthPx, hole.y0 / base.heightPx, hole.x1 / base.widthPx, hole.y1 / base.heightPx];
}

/** PNG at low compression: lossless for the poster's layers, and quick to write. */
function losslessPng(pixels: RawPixels): Promise<Buffer> {
  return sharp(pixels.data, { raw: { width: pixels.widthPx, height: pixels.heightPx, channels: pixels.channels } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

async function readFileHead(filePath: string, length: number): Promise<Uint8Array> {
  const file = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
