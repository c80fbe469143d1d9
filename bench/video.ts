/**
 * Video ingest against the alternative, on real video from opencv-doc:
 *   - realtime factor: wall seconds of the whole video job (download from
 *     s3rver, probe, one-decode encode of both clip streams and the analysis
 *     frames, keyframe embeddings, poster and its foveated layers, uploads,
 *     manifest) per second of video, on this machine;
 *   - bytes of the foveated clip (base + centre) against a uniform
 *     PPD-matched encode: the whole frame at the centre's PPD, same encoder,
 *     preset, CRF, GOP and audio;
 *   - quality: SSIM against the source resampled to the uniform grid, weighted
 *     by the acuity model (useful PPD / display PPD, eye margin included), on
 *     frames sampled across the video; the foveated frame is composited as the
 *     viewer would (compositeLayers). The gap is uniform minus foveated.
 * Inputs (made once into the git-ignored bench/.media/video): the three
 * opencv-doc AVIs upscaled to 1080 lines (vtest cut to 30 s), a detailed
 * synthetic 1080p clip (lavfi mandelbrot), Megamind upscaled to 2160 lines,
 * and the AVIs at their own size.
 *
 *   npm run bench:video [-- --frames 4 --only 1080p]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { pipelineConfig } from '../functions/config/index.js';
import { createDefaultEmbedder } from '../functions/domain/embed/index.js';
import {
  compositeLayers,
  displayProfile,
  planFoveatedClip,
  surfaceForImage,
  surfaceGeometry,
  usefulPpd,
  type FoveatedClipPlan,
} from '../functions/domain/foveate/index.js';
import { ingestVideoUpload } from '../functions/stages/video/index.js';
import type { ClipStream, ItemManifest } from '../functions/domain/items/index.js';
import { createS3Client, S3ObjectStore } from '../functions/adapters/store/index.js';
import {
  audioOutputArgs,
  extractFrame,
  h264Mp4OutputArgs,
  probeVideo,
  resolveFfmpegBinaries,
  safeInputArgs,
  type VideoDemuxer,
} from '../functions/domain/video/index.js';
import { startEmbeddedEmulators } from '../local/index.js';
import { rawRgb, ssimMap, weightedSsim, type Rgb } from './imageQuality.js';
import { opencvDataPath } from './realPhotos.js';
import { numberArg, stringArg } from './benchArgs.js';

const framesPerVideo = numberArg('frames', 4);
const only = stringArg('only');
const binaries = resolveFfmpegBinaries();
const videoDir = resolve('bench/.media/video');
const { video: videoSettings, foveation } = pipelineConfig;

type Group = '1080p' | '4K' | 'native';
interface BenchVideo {
  name: string;
  group: Group;
  path: string;
  demuxer: VideoDemuxer;
}

function ffmpeg(args: readonly string[]): void {
  execFileSync(binaries.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Made once: high-quality H.264 (CRF 16) so the inputs add little loss of their own. */
function prepared(name: string, make: (path: string) => void): string {
  const path = join(videoDir, name);
  if (!existsSync(path)) {
    console.error(`preparing ${name} (once)`);
    make(path);
  }
  return path;
}

function benchVideos(): BenchVideo[] {
  mkdirSync(videoDir, { recursive: true });
  const data = opencvDataPath();
  const upscale = (source: string, lines: number, seconds?: number) => (path: string) =>
    ffmpeg([
      '-i',
      join(data, source),
      ...(seconds ? ['-t', String(seconds)] : []),
      '-vf',
      `scale=-2:${lines}:flags=lanczos`,
      '-c:v',
      'libx264',
      '-preset',
      'fast',
      '-crf',
      '16',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      path,
    ]);
  const mp4 = (name: string, group: Group, make: (path: string) => void): BenchVideo => ({
    name,
    group,
    path: prepared(name, make),
    demuxer: 'mov',
  });
  return [
    mp4('vtest-1080p-30s.mp4', '1080p', upscale('vtest.avi', 1080, 30)),
    mp4('tree-1080p.mp4', '1080p', upscale('tree.avi', 1080)),
    mp4('Megamind-1080p.mp4', '1080p', upscale('Megamind.avi', 1080)),
    mp4('mandelbrot-1080p-10s.mp4', '1080p', (path) =>
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'mandelbrot=size=1920x1080:rate=30',
        '-t',
        '10',
        '-c:v',
        'libx264',
        '-preset',
        'fast',
        '-crf',
        '16',
        '-pix_fmt',
        'yuv420p',
        path,
      ]),
    ),
    mp4('Megamind-2160p.mp4', '4K', upscale('Megamind.avi', 2160)),
    ...['vtest.avi', 'tree.avi', 'Megamind.avi'].map((name) => ({
      name,
      group: 'native' as const,
      path: join(data, name),
      demuxer: 'avi' as const,
    })),
  ];
}

interface Result {
  video: BenchVideo;
  manifest: ItemManifest;
  seconds: number;
  durationSeconds: number;
  clipBytes: number;
  uniformBytes: number;
  uniformEncodeSeconds: number;
  ssimUniform: number;
  ssimFoveated: number;
  centralSsimUniform: number;
  centralSsimFoveated: number;
}

async function benchOne(video: BenchVideo, store: S3ObjectStore, workDir: string): Promise<Result> {
  const bytes = await readFile(video.path);
  const key = `uploads/bench/${video.name}`;
  await store.put(key, bytes, { contentType: 'application/octet-stream' });
  const deps = {
    store,
    limits: pipelineConfig.image,
    video: videoSettings,
    embedder: createDefaultEmbedder(),
    maxKeyframes: pipelineConfig.embedding.maxKeyframes,
    binaries,
  };
  const started = performance.now();
  const outcome = await ingestVideoUpload(deps, { key });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.outcome !== 'created') throw new Error(`${video.name}: ${JSON.stringify(outcome)}`);
  const manifest = outcome.manifest;
  const details = manifest.video!;
  const [base, centre] = details.clip.streams;

  // The uniform reference: the whole frame at the centre's PPD, encoded exactly like the clip streams.
  const source = { path: video.path, demuxer: video.demuxer };
  const probe = await probeVideo(binaries.ffprobe, source, 30);
  const plan = planOf(manifest);
  if (plan.centre.widthPx !== centre!.widthPx || plan.base.widthPx !== base!.widthPx)
    throw new Error(`${video.name}: the plan differs from the clip`);
  const uniformPath = join(workDir, 'uniform.mp4');
  const frameRate = Math.min(probe.video.frameRate, videoSettings.clip.maxFrameRate);
  const uniformStarted = performance.now();
  ffmpeg([
    '-vsync',
    'vfr',
    ...safeInputArgs(source),
    '-map',
    `0:${probe.video.index}`,
    '-vf',
    `scale=${plan.uniform.widthPx}:${plan.uniform.heightPx}:flags=bicubic,setsar=1,format=yuv420p`,
    ...(probe.hasAudio ? audioOutputArgs(videoSettings.clip) : []),
    ...h264Mp4OutputArgs(videoSettings.clip, frameRate),
    `file:${uniformPath}`,
  ]);
  const uniformEncodeSeconds = (performance.now() - uniformStarted) / 1000;
  const uniformBytes = (await stat(uniformPath)).size;

  // Quality on frames spread over the video, at frame times every file shares.
  const clipPaths = await Promise.all(
    [base!, centre!].map(async (stream) => {
      const path = join(workDir, `${stream.role}.mp4`);
      await store.downloadToFile(stream.key, path);
      return path;
    }),
  );
  const times = sampleTimes(details.durationSeconds, frameRate, framesPerVideo);
  const scores: Awaited<ReturnType<typeof qualityAt>>[] = [];
  for (const seconds of times) scores.push(await qualityAt(seconds, source, uniformPath, clipPaths as [string, string], manifest, plan));
  const mean = (pick: (score: (typeof scores)[number]) => number) => scores.reduce((sum, score) => sum + pick(score), 0) / scores.length;
  return {
    video,
    manifest,
    seconds,
    durationSeconds: details.durationSeconds,
    clipBytes: base!.bytes + centre!.bytes,
    uniformBytes,
    uniformEncodeSeconds,
    ssimUniform: mean((score) => score.uniform),
    ssimFoveated: mean((score) => score.foveated),
    centralSsimUniform: mean((score) => score.centralUniform),
    centralSsimFoveated: mean((score) => score.centralFoveated),
  };
}

/** The plan the video function made: planning is pure, so the same inputs give the same plan. */
function planOf(manifest: ItemManifest): FoveatedClipPlan {
  const source = { widthPx: manifest.widthPx, heightPx: manifest.heightPx };
  return planFoveatedClip({
    source,
    surface: surfaceForImage(source, foveation),
    profiles: foveation.profiles.map((id) => displayProfile(id)),
    settings: foveation,
  });
}

/** Frame times a quarter frame before each sampled frame, so every file's first frame at or after it is the same one. */
function sampleTimes(durationSeconds: number, frameRate: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => {
    const frame = Math.round(((index + 0.5) / count) * durationSeconds * frameRate);
    return Math.max(0, (frame - 0.25) / frameRate);
  });
}

async function frameAt(path: string, demuxer: VideoDemuxer, seconds: number): Promise<Rgb> {
  const input = { path, demuxer };
  const pixels = await extractFrame(binaries.ffmpeg, input, await probeVideo(binaries.ffprobe, input, 30), seconds, 60);
  return { data: pixels.data, width: pixels.widthPx, height: pixels.heightPx };
}

async function qualityAt(
  seconds: number,
  source: { path: string; demuxer: VideoDemuxer },
  uniformPath: string,
  [basePath, centrePath]: [string, string],
  manifest: ItemManifest,
  plan: FoveatedClipPlan,
) {
  const grid = plan.uniform;
  const sourceFrame = await frameAt(source.path, source.demuxer, seconds);
  const reference = await rawRgb(
    sharp(sourceFrame.data, { raw: { width: sourceFrame.width, height: sourceFrame.height, channels: 3 } }).resize(
      grid.widthPx,
      grid.heightPx,
      {
        fit: 'fill',
        kernel: 'lanczos3',
      },
    ),
  );
  const uniform = await frameAt(uniformPath, 'mov', seconds);
  const [base, centre] = manifest.video!.clip.streams as [ClipStream, ClipStream];
  const texture = async (stream: ClipStream, path: string) => {
    const frame = await frameAt(path, 'mov', seconds);
    return { rect: stream.rect, textureRect: stream.rect, widthPx: frame.width, heightPx: frame.height, channels: 3, pixels: frame.data };
  };
  // Painted coarse to fine, as the viewer does: the base over everything, the centre over its rect.
  const textures = [await texture(base, basePath), await texture(centre, centrePath)];
  const foveated: Rgb = { data: compositeLayers(textures, { ...grid, channels: 3 }), width: grid.widthPx, height: grid.heightPx };

  const geometry = surfaceGeometry(plan.surface, manifest.widthPx, manifest.heightPx);
  const weightAt = (x: number, y: number) => {
    const eccentricity = geometry.eccentricityDegAt(
      ((x + 0.5) / grid.widthPx) * manifest.widthPx,
      ((y + 0.5) / grid.heightPx) * manifest.heightPx,
    );
    return usefulPpd(eccentricity, plan.displayPpd, plan.acuity) / plan.displayPpd;
  };
  const windowOffset = 5; // ssim.js maps hold valid 11×11 windows: map (0,0) is centred on pixel (5,5).
  const uniformMap = ssimMap(reference, uniform);
  const foveatedMap = ssimMap(reference, foveated);
  // Central: within the eye margin, where the viewer looks at full acuity.
  const central = (x: number, y: number) =>
    geometry.eccentricityDegAt(((x + 0.5) / grid.widthPx) * manifest.widthPx, ((y + 0.5) / grid.heightPx) * manifest.heightPx) <=
    plan.acuity.eyeMarginDeg
      ? 1
      : 0;
  return {
    uniform: weightedSsim(uniformMap.ssim_map, weightAt, windowOffset),
    foveated: weightedSsim(foveatedMap.ssim_map, weightAt, windowOffset),
    centralUniform: weightedSsim(uniformMap.ssim_map, central, windowOffset),
    centralFoveated: weightedSsim(foveatedMap.ssim_map, central, windowOffset),
  };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

async function main(): Promise<void> {
  const videos = benchVideos().filter((video) => !only || video.name.includes(only));
  const dataDir = await mkdtemp(join(tmpdir(), 'xr-bench-video-'));
  const emulators = await startEmbeddedEmulators({ dataDir, s3Port: 0, sqsPort: 0 });
  const s3 = createS3Client({
    region: pipelineConfig.local.region,
    credentials: { accessKeyId: pipelineConfig.local.accessKeyId, secretAccessKey: pipelineConfig.local.secretAccessKey },
    endpoint: emulators.s3Endpoint,
  });
  await s3.send(new CreateBucketCommand({ Bucket: pipelineConfig.local.mediaBucket }));
  const store = new S3ObjectStore(s3, pipelineConfig.local.mediaBucket);
  const results: Result[] = [];
  try {
    for (const video of videos) {
      const workDir = await mkdtemp(join(dataDir, 'work-'));
      const result = await benchOne(video, store, workDir);
      await rm(workDir, { recursive: true, force: true });
      results.push(result);
      console.error(`${video.name}: ${result.seconds.toFixed(1)} s for ${result.durationSeconds.toFixed(1)} s of video`);
    }
  } finally {
    s3.destroy();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  console.log(
    `\nvideo ingest, ${framesPerVideo} frames per video scored; load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}\n`,
  );
  console.log(
    '| video | size | s | wall s | realtime | base | centre | clip | uniform | clip/uniform | SSIMw uniform / foveated | gap | central uniform / foveated | uniform encode s |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const [base, centre] = r.manifest.video!.clip.streams;
    console.log(
      `| ${r.video.name} | ${r.manifest.widthPx}×${r.manifest.heightPx} | ${r.durationSeconds.toFixed(1)} | ${r.seconds.toFixed(1)} | ${(r.seconds / r.durationSeconds).toFixed(2)} | ` +
        `${base!.widthPx}×${base!.heightPx} @${base!.ppd.toFixed(1)} | ${centre!.widthPx}×${centre!.heightPx} @${centre!.ppd.toFixed(1)} | ${kb(r.clipBytes)} | ${kb(r.uniformBytes)} | ` +
        `${(r.clipBytes / r.uniformBytes).toFixed(3)} | ${r.ssimUniform.toFixed(3)} / ${r.ssimFoveated.toFixed(3)} | ${(r.ssimUniform - r.ssimFoveated).toFixed(3)} | ` +
        `${r.centralSsimUniform.toFixed(3)} / ${r.centralSsimFoveated.toFixed(3)} | ${r.uniformEncodeSeconds.toFixed(1)} |`,
    );
  }
  const hd = results.filter((r) => r.video.group === '1080p');
  const large = results.filter((r) => r.video.group !== 'native');
  const worst = (list: Result[], pick: (r: Result) => number) => Math.max(...list.map(pick));
  console.log(
    JSON.stringify({
      videos: results.length,
      realtime_factor: round(
        worst(hd, (r) => r.seconds / r.durationSeconds),
        2,
      ),
      clip_bytes_ratio_vs_uniform: round(worst(large, (r) => r.clipBytes / r.uniformBytes)),
      foveated_quality_gap: round(
        worst(large, (r) => r.ssimUniform - r.ssimFoveated),
        4,
      ),
    }),
  );
}

await main();
