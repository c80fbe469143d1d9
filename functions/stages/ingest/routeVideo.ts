import { supportedImageMimes, UnsupportedTypeError } from '../../domain/media/index.js';
import type { IngestDeps, IngestOutcome, VideoJob } from './types.js';

/** Hands a sniffed video to the video queue: ingest never reads a video whole or decodes it. */
export async function routeVideo(deps: Pick<IngestDeps, 'videoJobs'>, job: VideoJob): Promise<IngestOutcome> {
  // A deployment without the video function accepts images only, and says so.
  if (!deps.videoJobs) throw new UnsupportedTypeError(job.mime, supportedImageMimes);
  await deps.videoJobs.send(job);
  return { outcome: 'queued', queue: 'video', mime: job.mime };
}
