export { ingestUpload } from './ingestUpload.js';
export { removeUpload } from './removeUpload.js';
export { ingestVideoUpload, type VideoIngestDeps } from './ingestVideoUpload.js';
export { videoWorkDirPrefix } from './constants.js';
export { writeErrorRecord } from './errorRecords.js';
export { findUnprocessedUploads } from './findUnprocessedUploads.js';
export { countOutcomes, type OutcomeCounts } from './countOutcomes.js';
export { renderFoveatedPreview, writeFoveatedPreview } from './writeFoveatedPreview.js';
export type { IngestDeps, IngestLimits, IngestOutcome, RemoveOutcome, UploadCreated, VideoJob, VideoJobQueue } from './types.js';
