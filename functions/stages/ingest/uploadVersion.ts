import type { ObjectInfo } from '../../domain/items/index.js';

/**
 * One version of an upload key: its entity tag and the moment it was put.
 * Outcomes (source links, error records) carry the version they are about, so
 * a key overwritten after its item was made counts as unprocessed until its new
 * bytes have an outcome of their own.
 */
export function uploadVersion(info: ObjectInfo): string {
  return `${info.eTag ?? ''}@${info.lastModified.toISOString()}`;
}

/** Records written before versions were recorded carry none; they are taken to be about the current version. */
export const isAboutVersion = (recorded: string | undefined, current: string): boolean => recorded === undefined || recorded === current;
