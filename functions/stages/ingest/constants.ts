/** Previews are content-addressed by item id, so they never change once written. */
export const immutableCacheControl = 'public, max-age=31536000, immutable';

/** Uploads of one item's preview files in flight at once. */
export const previewPutConcurrency = 8;

/** Each video job's temporary folder under the OS temp folder; the Lambda handler clears stale ones by it. */
export const videoWorkDirPrefix = 'xr-video-';
