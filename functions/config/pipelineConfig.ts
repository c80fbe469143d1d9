/**
 * The single source of truth for names, limits, batch sizes and timeouts.
 * The CDK stack (lib/), the Lambda handlers (functions/) and the local runner
 * (local/) all read this object; nothing here is written down twice.
 */

import { accessConfig } from './accessConfig.js';
import { foveationConfig, viewerConfig } from './viewerConfig.js';

const ingestTimeoutSeconds = 60;
/** Lambda's ceiling: the longest, largest video the limits allow must finish within it (docs/video.md). */
const videoTimeoutSeconds = 900;
const indexerTimeoutSeconds = 60;

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
    /** Ingest sniffs the type from this many first bytes (a ranged read) before any size limit applies. */
    sniffBytes: 64 * 1024,
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
    /**
     * WebP effort of the first preview and the thumbnail: they are the critical path to viewable,
     * and effort 2 encodes in under half the CPU of sharp's default 4 for ~5 % more bytes.
     */
    webpEffort: 2,
  },

  /**
   * PPD-aware foveated previews (docs/foveation.md). Planning is pure
   * (functions/domain/foveate); functions/domain/media encodes the plan with sharp.
   */
  foveation: foveationConfig,

  /**
   * Video ingest (functions/domain/video, docs/video.md). Ingest routes a sniffed video
   * to the video queue; the video function probes it, enforces `limits`, and runs
   * ffmpeg for the analysis frames, the foveated clip and the poster.
   */
  video: {
    timeoutSeconds: videoTimeoutSeconds,
    /** ~3.5 vCPUs at 6 GB: x264 uses them all, so a 5-minute 4K clip fits the timeout. */
    memoryMb: 6144,
    /** /tmp holds the source (up to limits.maxBytes), both clip streams and the analysis frames. */
    ephemeralStorageMb: 6144,
    visibilityTimeoutSeconds: videoTimeoutSeconds * 6,
    /** One video per invocation: each needs the whole function. */
    batchSize: 1,
    maxConcurrency: 2,
    maxReceiveCount: 3,
    deadLetterRetentionDays: 14,
    /** Checked from the probe, before anything is decoded. */
    limits: {
      maxBytes: 2 * 1024 * 1024 * 1024,
      maxDurationSeconds: 300,
      /** Displayed frame width × height: DCI 4K. */
      maxPixels: 4096 * 2160,
      maxFrameRate: 240,
    },
    /** Every ffmpeg and ffprobe run is killed when it overruns its limit. */
    timeLimits: {
      probeSeconds: 30,
      /** Extracting one frame (the poster): a seek and a decode from the previous keyframe. */
      frameSeconds: 60,
      /** The clip encode may take this many seconds per second of video, and at least encodeMinSeconds. */
      encodeSecondsPerVideoSecond: 2.5,
      encodeMinSeconds: 60,
      /** Kept back from the function's own deadline for the poster layers, uploads and the manifest. */
      reserveSeconds: 90,
    },
    /** Small frames sampled during the encode: shots, keyframes, embeddings and the poster choice come from them. */
    analysis: {
      framesPerSecond: 2,
      longSidePx: 320,
      /** Half the L1 distance of consecutive frames' RGB histograms (0–1) above which a new shot starts. */
      shotCutDistance: 0.35,
    },
    /** The foveated clip: a low-PPD full-frame stream and a top-PPD centre stream, H.264 in MP4. */
    clip: {
      crf: 23,
      preset: 'veryfast',
      /** Faster sources are reduced to this rate (slow-motion phone video). */
      maxFrameRate: 60,
      /** Both streams get a keyframe every this many seconds at the same frames, so they seek together. */
      keyframeIntervalSeconds: 2,
      /** The full-frame stream carries the audio (stereo AAC); the centre stream none. */
      audioBitrateKbps: 128,
    },
  },

  /** The indexer function: the one writer of each index shard, on the index FIFO queue. */
  indexer: {
    timeoutSeconds: indexerTimeoutSeconds,
    memoryMb: 1024,
    visibilityTimeoutSeconds: indexerTimeoutSeconds * 6,
    /** Messages per batch, one commit per shard (FIFO queues take at most 10). */
    batchSize: 10,
    /**
     * Index updates travel several to a message, those of one shard, in bodies of at most this many bytes
     * (SQS takes 256 KiB): about 170 upserts of 256 floats with their vectors, so a batch commits ~1,700.
     */
    messageBytes: 240 * 1024,
    maxReceiveCount: 5,
    deadLetterRetentionDays: 14,
  },

  api: {
    /** URL path the API answers under, same-origin with the viewer (CloudFront behavior, local server). */
    routePrefix: '/api/',
    timeoutSeconds: 10,
    memoryMb: 512,
    /**
     * Reserved concurrency, a ceiling on what a flood of requests can cost; 0
     * reserves none. None by default: a new account's concurrency quota is
     * 10 and Lambda refuses a reservation that leaves fewer than 10
     * unreserved, so `cdk deploy` would fail. Once the quota is raised, set it
     * here or per deploy: `cdk deploy -c apiReservedConcurrency=20`.
     */
    reservedConcurrency: 0,
    itemsPageSizeDefault: 50,
    itemsPageSizeMax: 200,
  },

  /**
   * Content embeddings (functions/domain/embed, docs/embeddings.md). The pipeline
   * stores items/<itemId>/embedding.f32 and records name, version and dimension.
   */
  embedding: {
    default: {
      /** The source is decoded once to a small fixed square of this side (sRGB, 3 channels). */
      sizePx: 64,
    },
    /**
     * A model of your own (docs/embeddings.md "ONNX embedder"): chosen by `cdk deploy -c embeddingModel=s3://…`
     * or `npm start -- --embedding-model PATH`. This is its declaration when no spec file is given
     * (`-c embeddingModelSpec=FILE`, `--embedding-spec FILE`); a spec file replaces it whole.
     */
    onnx: {
      name: 'onnx-image-encoder',
      version: '1',
      /** The embedding functions get at least this much memory when a model is configured (a spec's memoryMb replaces it). */
      memoryMb: 2048,
      /** CLIP ViT-B/32 image preprocessing; replace with your model's. */
      preprocessing: {
        widthPx: 224,
        heightPx: 224,
        /** 'cover' resizes the short side and centre-crops (CLIP); 'fill' stretches. */
        resize: 'cover',
        layout: 'NCHW',
        channelOrder: 'RGB',
        /** Pixels are scaled to [0, 1], then (x − mean) / std per channel. */
        mean: [0.48145466, 0.4578275, 0.40821073],
        std: [0.26862954, 0.26130258, 0.27577711],
      },
    },
    /** Video: keyframe embeddings are pooled (mean of unit vectors, re-normalised). */
    maxKeyframes: 16,
  },

  /** The streaming VQ retrieval index (functions/domain/vq, docs/vq-index.md). */
  vq: {
    /** index/<shard>/…; one writer per shard (the index FIFO queue's MessageGroupId). */
    prefix: 'index/',
    shards: 1,
    /** How the index partitions and repairs itself (functions/domain/vq/types.ts VqIndexConfig; docs/vq-index.md). */
    index: {
      /** Seed of the split directions; same seed and same operations, same index. */
      seed: 1,
      /** The cluster size the balance term and merges are measured against. */
      targetClusterSize: 128,
      /** A cluster above splitFactor × targetClusterSize members is split in two at once. */
      splitFactor: 2,
      /** Ceiling on the number of centroids; at it, a split re-seeds the smallest cluster. */
      maxClusters: 65_536,
      /** Assignment discount per unit of size above the target, so popular centroids do not swallow everything. */
      balancePenalty: 0.005,
      /** Repair credit per insert: vectors re-examined on average, split boundaries first. */
      repairPerInsert: 6,
      /** Centroids nearest to its own that a re-examined vector may move to. */
      repairCandidates: 8,
      /** A cluster is re-examined once its centroid has moved this much (1 − cos) since its last repair. */
      repairMinDrift: 0.0005,
      /** 2-means iterations when a cluster is split along its principal direction. */
      splitIterations: 4,
      /** Neighbouring clusters whose members are re-examined against a split's two new centroids. */
      splitNeighbours: 2,
      /** A cluster below this fraction of the target is merged into its neighbours. */
      mergeFraction: 0.25,
      /** An arriving vector this many times farther from its centroid than the members are on average opens a new centroid (0: never). */
      seedDistanceFactor: 3,
    },
    /** Search defaults; every call may override them. */
    search: {
      k: 10,
      /** Lists scanned per query. */
      nprobe: 16,
      /** Stop after scanning this many vectors (0: no limit). */
      maxCodes: 0,
      /** Candidates from the scan of uint8 codes re-scored on their float32 vectors (0: scan float32 instead). */
      rerank: 40,
    },
    /** The query API (GET /api/items/<id>/similar, POST /api/search). */
    query: {
      kDefault: 12,
      kMax: 100,
      /** A cached shard checks its manifest at most this often: an indexed item is found within it. */
      refreshMs: 250,
      /** Scan parts of posting lists and re-rank vectors kept by a query function, across shards (least recently used go first). */
      listCacheBytes: 64 * 1024 * 1024,
      /** Search-by-image bodies above this get a 413. Lambda's 6 MB invoke payload holds the body base64-encoded (4/3). */
      maxImageBytes: 4 * 1024 * 1024,
    },
    storage: {
      /** Lists per codebook page: a commit rewrites the pages of the lists it changed (64 × 256-d centroids: 64 KiB a page). */
      listsPerPage: 64,
      /** Index objects fetched or written at once by one shard's reader or writer. */
      fetchConcurrency: 32,
      /** Read-modify-write attempts of the manifest before giving up. */
      commitAttempts: 5,
      /** A commit writes its lists, deltas and pages into pack objects of at most this many bytes (one for a usual commit). */
      packBytes: 64 * 2 ** 20,
      // A commit that changes a list writes a delta of that change alone (the entries it added, the ids it masked)
      // after the list's earlier deltas, so a commit writes what it changed, not what earlier commits did. A list
      // whose chain grows past maxDeltas has its deltas merged into one; once its deltas hold more than
      // max(entries, fractionOfBase × the base's entries) it is written whole again (folded). A query reads one
      // blob per part, so the chain bounds its requests; a fold costs the whole list, so the threshold its writes.
      /** Deltas a list may have; one more and they are merged into one. */
      maxDeltas: 3,
      foldWhenDeltaExceeds: {
        /** Deltas of up to this many entries (added plus masked, over the chain) never fold the list. */
        entries: 16,
        /** Deltas larger than this fraction of the base's entries are folded into a new base. */
        fractionOfBase: 0.5,
      },
      /**
       * Memory for lists the writer holds whole between commits (their vectors and codes), least recently
       * used given up first; beyond it, lists are read again when a split, a repair or a removal needs them.
       * The writer's memory is this, the codebook, sums and ids, and its batch: not the shard's vectors.
       */
      writerListBytes: 256 * 2 ** 20,
      // Commits make earlier packs' contents dead (newer pages, merged deltas, folded lists); a pack is deleted once
      // nothing in it is named. Compaction rewrites the live rest of packs mostly dead, so they can be deleted.
      compaction: {
        /** It runs only while the packs hold more than this many times the bytes the manifest names (space amplification). */
        maxStoredOverLive: 1.5,
        /** Only packs with less than this fraction live are rewritten, the most dead bytes first. */
        liveFractionBelow: 0.5,
        /** Live bytes one commit rewrites at most. */
        bytesPerCommit: 32 * 2 ** 20,
      },
    },
  },

  /**
   * Reconciliation (docs/reliability.md): a sweep that announces again every
   * upload with neither an item nor an error record, so a lost event loses nothing.
   */
  reconcile: {
    /**
     * How often EventBridge runs the sweep on AWS (`npm start` sweeps at start, the CLI on demand).
     * Daily: S3 rarely drops an event, and a sweep reads four small objects per upload
     * (about $0.50 a month for 10 000 uploads swept daily; hourly would be 24 times that).
     */
    scheduleMinutes: 24 * 60,
    timeoutSeconds: 300,
    memoryMb: 512,
    /** The sweep stops listing this long before its timeout; the next one starts over. */
    reserveSeconds: 20,
    /**
     * Younger uploads are left alone: their event may still be queued or retried.
     * At least the longest legitimate wait, ingest's receives then video's
     * (5 × 360 s + 3 × 5400 s = 5 h; tests/unit/config/reconcileSettings.test.ts checks).
     */
    minUploadAgeSeconds: 6 * 60 * 60,
  },

  viewer: viewerConfig,

  access: accessConfig,

  /**
   * What the functions report and the stack watches (lib/pipelineMonitoring.ts):
   * embedded-format metrics, alarms and the dashboard.
   */
  monitoring: {
    /** CloudWatch namespace of the functions' metrics (ItemsProcessed, Errors by reason, ProcessingMs). */
    metricsNamespace: 'XrMediaPipeline',
    /**
     * An alarm fires when a queue's oldest message is older than this: the work
     * is stuck or falling behind. Ingest and index messages leave in seconds; a
     * video job waits for the ones ahead of it (maxConcurrency at a time, each up to the video timeout).
     */
    oldestMessageAgeAlarmMinutes: { ingest: 30, video: 120, index: 30 },
    /** Alarm evaluation period; SQS publishes its metrics every minute, DLQ depth included. */
    alarmPeriodMinutes: 5,
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
    indexQueue: 'xr-index.fifo',
    indexDeadLetterQueue: 'xr-index-dlq.fifo',
    videoQueue: 'xr-video',
    videoDeadLetterQueue: 'xr-video-dlq',
    /** One local video worker: a video encode uses both cores already. */
    videoWorkers: 1,
    sampleCount: 8,
  },

  /** The command-line client (`npm run cli`): how often it tries and how often it looks. */
  cli: {
    /**
     * Tries per uploaded file, more than a handler's three: three in a row can all meet a flaky network's faults,
     * a person waits for the upload anyway (about 3 s of backoff in all), and a failed file means running the command again.
     */
    uploadAttempts: 6,
    /** Tries per API call (`similar`) that meets a reset connection, a 5xx or throttling; every route only reads. */
    apiAttempts: 4,
    /** `--wait`: how often the bucket is read for outcomes. */
    pollIntervalMs: 500,
    /** `--wait`: after a failed read the next waits longer, doubling up to this. */
    maxPollBackoffMs: 8_000,
    /** `redrive`: how often a message move task's progress is read. */
    redrivePollMs: 1000,
    /** User metadata naming an upload's content, so a re-run can tell an upload already done from a different file under the same key. */
    itemIdMetadataKey: 'xr-item-id',
  },
} as const;
