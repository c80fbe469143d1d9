/** Metric names the functions publish and the stack's dashboard and alarms read: named once, here. */
export const metricNames = {
  /** Uploads that ended as an item (new, or the same bytes as an existing one). */
  itemsProcessed: 'ItemsProcessed',
  /** Uploads that did not, with a `reason` dimension: the error record's code, or retryableFailure. */
  errors: 'Errors',
  /** Wall time from taking an upload to its outcome, per upload. */
  processingMs: 'ProcessingMs',
  /** Index updates (upserts and deletes) the indexer committed. */
  indexUpdatesApplied: 'IndexUpdatesApplied',
} as const;

/** The `reason` dimension of Errors. */
export const errorReasonDimension = 'reason';

/** An exception the queue will retry (then dead-letter): not bad input, something went wrong. */
export const retryableFailure = 'retryable-failure';

/** Dimension Powertools adds to every metric: the function's service name. */
export const serviceDimension = 'service';
