export { ingestUpload } from './ingestUpload.js';
export { removeUpload } from './removeUpload.js';
export { writeErrorRecord } from './errorRecords.js';
export { findUnprocessedUploads } from './findUnprocessedUploads.js';
export { countOutcomes, type OutcomeCounts } from './countOutcomes.js';
export { renderFoveatedPreview, writeFoveatedPreview } from './writeFoveatedPreview.js';
export type { IngestDeps, IngestLimits, IngestOutcome, RemoveOutcome, UploadCreated } from './types.js';
