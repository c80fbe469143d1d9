// Image ingest, and the item lifecycle that video ingest, removal and reconciliation share with it.
export { ingestUpload } from './ingestUpload.js';
export { immutableCacheControl, videoWorkDirPrefix } from './constants.js';
export { clearErrorRecord, writeErrorRecord } from './errorRecords.js';
export { forgetSource, rejectUpload, settleExistingItem } from './itemOutcomes.js';
export { linkSource } from './sourceLinks.js';
export { uploadVersion } from './uploadVersion.js';
export { storePreviews } from './storePreviews.js';
export { announceToIndex, storeItemEmbedding } from './itemEmbedding.js';
export { recordRetriesExhausted } from './recordRetriesExhausted.js';
export { currentUploadOutcome } from './uploadOutcome.js';
export { countOutcomes, type OutcomeCounts } from './countOutcomes.js';
export { renderFoveatedPreview, writeFoveatedPreview } from './writeFoveatedPreview.js';
export type {
  IndexUpdate,
  IndexUpdateQueue,
  IngestDeps,
  IngestOutcome,
  RemoveOutcome,
  UploadCreated,
  VideoJob,
  VideoJobQueue,
} from './types.js';
