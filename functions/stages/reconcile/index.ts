export { findUnprocessedUploads } from './findUnprocessedUploads.js';
export { reconcileUploads, type ReconcileOptions, type ReconcileResult } from './reconcileUploads.js';
