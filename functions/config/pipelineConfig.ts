/**
 * The single source of truth for names, limits, batch sizes and timeouts.
 * The CDK stack (lib/), the Lambda handlers (functions/) and the local runner
 * (local/) all read this object; nothing here is written down twice.
 */

const ingestTimeoutSeconds = 60;

export const pipelineConfig = {
  /** CloudFormation stack name used by `cdk deploy` and by `--stack` in the CLI. */
  stackName: 'XrMediaPipeline',

  /** S3 key layout (see README "Storage contract"). Every prefix ends in '/'. */
  prefixes: {
    /** What users put. Never modified by the pipeline. */
    uploads: 'uploads/',
    /** items/<itemId>/manifest.json and items/<itemId>/preview/… */
    items: 'items/',
    /** errors/<key hash>.json: why an upload was rejected. */
    errors: 'errors/',
    /** sources/<key hash>.json: which item an upload key produced, so a delete can find it. */
    sources: 'sources/',
  },

  ingest: {
    /** Lambda timeout; the queue's visibility timeout is derived from it. */
    timeoutSeconds: ingestTimeoutSeconds,
    memoryMb: 2048,
    /** AWS recommends a visibility timeout of at least 6x the function timeout. */
    visibilityTimeoutSeconds: ingestTimeoutSeconds * 6,
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    /** Event source mapping ceiling on concurrent invocations (AWS minimum is 2). */
    maxConcurrency: 4,
    /** Receives before a message is moved to the dead-letter queue. */
    maxReceiveCount: 5,
    deadLetterRetentionDays: 14,
  },

  image: {
    /** Larger uploads are rejected before they are read into memory. */
    maxBytes: 64 * 1024 * 1024,
    /** Passed to sharp's limitInputPixels: width x height of the decoded source. */
    maxPixels: 120_000_000,
    /** Long side of the first preview; the foveated layers replace it later. */
    previewLongSidePx: 2048,
    /** Long side of the gallery thumbnail. */
    thumbLongSidePx: 512,
    webpQuality: 82,
  },

  api: {
    /** URL path the API answers under, same-origin with the viewer (CloudFront behavior, local server). */
    routePrefix: '/api/',
    timeoutSeconds: 10,
    memoryMb: 512,
    /** Reserved concurrency: a ceiling on what a flood of requests can cost. */
    reservedConcurrency: 20,
    itemsPageSizeDefault: 50,
    itemsPageSizeMax: 200,
  },

  viewer: {
    /** Origins allowed to GET media cross-origin (the viewer itself is same-origin). */
    corsAllowedOrigins: ['*'],
  },

  /** Local embedded mode (`npm start`). */
  local: {
    region: 'us-east-1',
    mediaBucket: 'xr-media',
    ingestQueue: 'xr-ingest',
    ingestDeadLetterQueue: 'xr-ingest-dlq',
    /** Static credentials the emulators accept; never real ones. */
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    s3Port: 4569,
    sqsPort: 4576,
    httpPort: 8080,
    dataDir: '.data',
    /** Long-poll wait of the local event source mapping. */
    receiveWaitSeconds: 1,
    /** Local copies of the ingest function that poll concurrently. */
    ingestWorkers: 2,
    sampleCount: 8,
  },
} as const;

export type PipelineConfig = typeof pipelineConfig;
