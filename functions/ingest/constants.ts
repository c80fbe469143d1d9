/** Previews are content-addressed by item id, so they never change once written. */
export const immutableCacheControl = 'public, max-age=31536000, immutable';

/** Uploads of one item's preview files in flight at once. */
export const previewPutConcurrency = 8;
