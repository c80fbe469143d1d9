import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { lambdaEnvNames, pipelineConfig } from '../functions/config/index.js';
import { FfmpegLayer, ffmpegLayerPaths } from './ffmpegLayer.js';
import { grantItemWriter } from './grantItemWriter.js';
import { IngestQueue } from './ingestQueue.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';

export interface VideoProcessingProps {
  mediaBucket: IBucket;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  itemWriterPrefixes: Parameters<typeof grantItemWriter>[2];
  /** The function that sniffs uploads and hands videos to this queue (ingest). */
  routingFunction: PipelineFunction;
}

/**
 * Video ingest: a queue of video jobs (with its dead-letter queue) and the
 * function that consumes it one video at a time, with ffmpeg from a layer,
 * /tmp for the source and outputs, and a timeout sized for the limits in
 * pipelineConfig.video. The routing function may only send to the queue.
 */
export class VideoProcessing extends Construct {
  readonly queue: IngestQueue;
  readonly function: PipelineFunction;

  constructor(scope: Construct, id: string, props: VideoProcessingProps) {
    super(scope, id);
    const { video } = pipelineConfig;
    this.queue = new IngestQueue(this, 'Queue', {
      consumerTimeoutSeconds: video.timeoutSeconds,
      visibilityTimeoutSeconds: video.visibilityTimeoutSeconds,
      maxReceiveCount: video.maxReceiveCount,
      deadLetterRetentionDays: video.deadLetterRetentionDays,
      configSection: 'video',
    });

    this.function = new PipelineFunction(this, 'Function', {
      entry: repoPaths.videoHandler,
      description: 'Turns a video upload into an item (poster layers, foveated clip, embedding) or an error record',
      memoryMb: video.memoryMb,
      timeoutSeconds: video.timeoutSeconds,
      ephemeralStorageMb: video.ephemeralStorageMb,
      environment: {
        ...props.environment,
        [lambdaEnvNames.ffmpegPath]: ffmpegLayerPaths.ffmpeg,
        [lambdaEnvNames.ffprobePath]: ffmpegLayerPaths.ffprobe,
      },
      layers: [new FfmpegLayer(this, 'FfmpegLayer')],
      logRetention: props.logRetention,
      // sharp renders the poster; the ffmpeg installers are for local runs only (the layer has the binaries).
      nodeModules: ['sharp'],
      externalModules: ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe'],
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: video.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: video.maxConcurrency,
      }),
    );
    grantItemWriter(props.mediaBucket, this.function, props.itemWriterPrefixes);

    this.queue.queue.grantSendMessages(props.routingFunction);
    props.routingFunction.addEnvironment(lambdaEnvNames.videoQueueUrl, this.queue.queue.queueUrl);
  }
}
