import { supportedVideoMimes, type SupportedVideoMime } from '../../domain/media/index.js';
import { UnrecognisedMessageError } from './errors.js';

/** The video queue's message body: which upload to process, and the type ingest sniffed. */
interface VideoJobMessage {
  type: 'video-job';
  version: 1;
  key: string;
  mime: SupportedVideoMime;
}

export function buildVideoJobMessage(job: { key: string; mime: SupportedVideoMime }): string {
  const message: VideoJobMessage = { type: 'video-job', version: 1, key: job.key, mime: job.mime };
  return JSON.stringify(message);
}

export function parseVideoJobMessage(messageBody: string): { key: string; mime: SupportedVideoMime } {
  const unrecognised = (detail: string) => new UnrecognisedMessageError(detail, 'video', 'a video job');
  let body: Partial<VideoJobMessage>;
  try {
    body = JSON.parse(messageBody) as Partial<VideoJobMessage>;
  } catch {
    throw unrecognised(`the body is not JSON (starts with ${JSON.stringify(messageBody.slice(0, 40))})`);
  }
  if (body?.type !== 'video-job' || body.version !== 1) throw unrecognised('it is not a version 1 video-job');
  if (typeof body.key !== 'string' || body.key.length === 0) throw unrecognised('it names no upload key');
  if (!(supportedVideoMimes as readonly unknown[]).includes(body.mime))
    throw unrecognised(`its type ${JSON.stringify(body.mime)} is not a supported video`);
  return { key: body.key, mime: body.mime as SupportedVideoMime };
}
