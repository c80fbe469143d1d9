import { pipelineConfig } from '../functions/config/index.js';

/** S3's limit on a key, in UTF-8 bytes. */
const maxKeyBytes = 1024;

/** A key to read from the bucket, or why the path names none (a 4xx and its sentence). */
export type MediaKeyOfPath = { key: string } | { status: 400 | 404 | 414; message: string };

/**
 * The bucket key an /items/… path names, checked before the store sees it.
 * Keys under items/ are made by the pipeline (content hashes and fixed file
 * names), so a path that decodes to anything else names nothing; and the local
 * S3 (s3rver) keeps objects as files, so a `..` segment would read files
 * outside the bucket.
 */
export function mediaKeyOfPath(pathname: string): MediaKeyOfPath {
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(1));
  } catch {
    return { status: 400, message: `the path ${JSON.stringify(pathname.slice(0, 200))} is not valid percent-encoded UTF-8` };
  }
  const bytes = Buffer.byteLength(key);
  if (bytes > maxKeyBytes) return { status: 414, message: `the path names a key of ${bytes} bytes; keys have at most ${maxKeyBytes}` };
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(key)) return { status: 400, message: 'the path holds a control character; no item file has one' };
  const segments = key.slice(pipelineConfig.prefixes.items.length).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    return { status: 404, message: `no object ${JSON.stringify(key.slice(0, 200))}: item files have no empty, "." or ".." segment` };
  return { key };
}
