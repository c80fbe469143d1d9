import { lambdaEnvNames } from './lambdaEnv.js';
import { pipelineConfig } from './pipelineConfig.js';

/** What the stack's ingest, video and indexer functions are called by the stage table. */
export type QueueStageName = 'ingest' | 'video' | 'index';

/**
 * One row of the pipeline: a work queue, its dead-letter queue and the
 * function that consumes it. The stack builds one queue worker per row
 * (lib/queueWorker.ts), the local mode creates the same queues and polls each
 * with one event source mapping (local/localPipeline.ts), and the CLI's
 * status and redrive and the alarms iterate the rows. The numbers live in the
 * config section the row names; this table says how they fit together.
 */
export interface QueueStage {
  readonly name: QueueStageName;
  /** The consumer's Powertools service name: its log lines and its metrics' service dimension. */
  readonly service: string;
  /** The pipelineConfig section its settings come from, named when one is wrong. */
  readonly configSection: 'ingest' | 'video' | 'indexer';
  /**
   * The construct id in the stack. It fixes the CloudFormation logical ids:
   * renaming it replaces the stage's queues (and what they hold) on the next deploy.
   */
  readonly stackId: string;
  readonly queue: {
    /** FIFO: one message group per index shard, so each shard has one writer. */
    readonly fifo: boolean;
    /** At least six times the consumer's timeout (AWS guidance for SQS event sources); checked where the queue is built. */
    readonly visibilityTimeoutSeconds: number;
    /** Receives before the dead-letter queue takes a message; the last one writes an error record first. */
    readonly maxReceiveCount: number;
    readonly deadLetterRetentionDays: number;
    /** Queue names in the local mode (the stack lets CloudFormation name them). */
    readonly localName: string;
    readonly localDeadLetterName: string;
    /** The environment variable that gives a function which sends to this queue its URL. */
    readonly urlEnv: string;
  };
  readonly consumer: {
    /** Module under functions/handlers/ whose `handler` Lambda runs. */
    readonly handlerModule: string;
    readonly description: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    readonly batchSize: number;
    readonly maxBatchingWindowSeconds?: number;
    /** The event source mapping's ceiling on concurrent invocations; none for the FIFO indexer (one per message group). */
    readonly maxConcurrency?: number;
    /** Size of /tmp; Lambda's default (512 MB) when absent. */
    readonly ephemeralStorageMb?: number;
    /** Concurrent workers in the local mode, each one execution environment. */
    readonly localWorkers: number;
    /** Packages installed into the function's asset instead of bundled: native code esbuild cannot inline. */
    readonly nodeModules?: readonly string[];
    /** Packages left out of the asset: the function never loads them where it runs. */
    readonly externalModules?: readonly string[];
    /** Runs ffmpeg: deployed with the ffmpeg layer and told where its binaries are. */
    readonly ffmpeg?: boolean;
    /**
     * Embeds, or records which model embedded (the indexer): with a model of your own configured it is told
     * the model, may read it, gets the ONNX runtime layer and the memory the model needs.
     */
    readonly embeds: boolean;
    /** The stages it sends messages to: it may send to their queues and is told their URLs. */
    readonly sendsTo: readonly QueueStageName[];
  };
  /** The queue's oldest message may wait this long before its alarm fires. */
  readonly oldestMessageAlarmMinutes: number;
  /**
   * Its messages carry uploads: the fault switch applies to its store, and the
   * local mode counts its messages as processed uploads.
   */
  readonly carriesUploads: boolean;
}

const { ingest, video, indexer, local, monitoring } = pipelineConfig;

export const queueStages: Readonly<Record<QueueStageName, QueueStage>> = {
  ingest: {
    name: 'ingest',
    service: 'ingest',
    configSection: 'ingest',
    stackId: 'Ingest',
    queue: {
      fifo: false,
      visibilityTimeoutSeconds: ingest.visibilityTimeoutSeconds,
      maxReceiveCount: ingest.maxReceiveCount,
      deadLetterRetentionDays: ingest.deadLetterRetentionDays,
      localName: local.ingestQueue,
      localDeadLetterName: local.ingestDeadLetterQueue,
      urlEnv: lambdaEnvNames.ingestQueueUrl,
    },
    consumer: {
      handlerModule: 'ingest',
      description: 'Turns an upload into an item (previews, manifest) or an error record',
      memoryMb: ingest.memoryMb,
      timeoutSeconds: ingest.timeoutSeconds,
      batchSize: ingest.batchSize,
      maxBatchingWindowSeconds: ingest.maxBatchingWindowSeconds,
      maxConcurrency: ingest.maxConcurrency,
      localWorkers: local.ingestWorkers,
      // sharp loads a native libvips binary.
      nodeModules: ['sharp'],
      embeds: true,
      sendsTo: ['video', 'index'],
    },
    oldestMessageAlarmMinutes: monitoring.oldestMessageAgeAlarmMinutes.ingest,
    carriesUploads: true,
  },
  video: {
    name: 'video',
    service: 'video',
    configSection: 'video',
    stackId: 'Video',
    queue: {
      fifo: false,
      visibilityTimeoutSeconds: video.visibilityTimeoutSeconds,
      maxReceiveCount: video.maxReceiveCount,
      deadLetterRetentionDays: video.deadLetterRetentionDays,
      localName: local.videoQueue,
      localDeadLetterName: local.videoDeadLetterQueue,
      urlEnv: lambdaEnvNames.videoQueueUrl,
    },
    consumer: {
      handlerModule: 'video',
      description: 'Turns a video upload into an item (poster layers, foveated clip, embedding) or an error record',
      memoryMb: video.memoryMb,
      timeoutSeconds: video.timeoutSeconds,
      batchSize: video.batchSize,
      maxConcurrency: video.maxConcurrency,
      ephemeralStorageMb: video.ephemeralStorageMb,
      localWorkers: local.videoWorkers,
      // sharp renders the poster; the ffmpeg installers are for local runs only (on AWS a layer has the binaries).
      nodeModules: ['sharp'],
      externalModules: ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
      ffmpeg: true,
      embeds: true,
      sendsTo: ['index'],
    },
    oldestMessageAlarmMinutes: monitoring.oldestMessageAgeAlarmMinutes.video,
    carriesUploads: true,
  },
  index: {
    name: 'index',
    service: 'indexer',
    configSection: 'indexer',
    stackId: 'RetrievalIndex',
    queue: {
      fifo: true,
      visibilityTimeoutSeconds: indexer.visibilityTimeoutSeconds,
      maxReceiveCount: indexer.maxReceiveCount,
      deadLetterRetentionDays: indexer.deadLetterRetentionDays,
      localName: local.indexQueue,
      localDeadLetterName: local.indexDeadLetterQueue,
      urlEnv: lambdaEnvNames.indexQueueUrl,
    },
    consumer: {
      handlerModule: 'indexer',
      description: 'Applies index updates to the streaming-VQ index under index/ (one writer per shard)',
      memoryMb: indexer.memoryMb,
      timeoutSeconds: indexer.timeoutSeconds,
      batchSize: indexer.batchSize,
      // The one writer of every shard, as the FIFO message groups make it on AWS.
      localWorkers: 1,
      // The default embedder module (its name, version and dimension) imports sharp.
      nodeModules: ['sharp'],
      // It never embeds, but it makes the embedder to learn the model's name, version and dimension.
      embeds: true,
      sendsTo: [],
    },
    oldestMessageAlarmMinutes: monitoring.oldestMessageAgeAlarmMinutes.index,
    carriesUploads: false,
  },
};

/** The rows in pipeline order: ingest, video, index. */
export const queueStageList: readonly QueueStage[] = Object.values(queueStages);
