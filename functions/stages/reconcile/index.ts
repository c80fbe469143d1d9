export { findUnprocessedUploads } from './findUnprocessedUploads.js';
export { reconcileUploads, type ReconcileOptions, type ReconcileResult } from './reconcileUploads.js';
export { reconcileIndex, type IndexReconcileDeps, type IndexReconcileResult } from './reconcileIndex.js';
export { removeOrphanIndexObjects } from './removeOrphanIndexObjects.js';
