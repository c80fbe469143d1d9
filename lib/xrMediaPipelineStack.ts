import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { lambdaEnvRecord, pipelineConfig } from '../functions/config/index.js';
import { AccessLogsBucket, accessLogPrefixes } from './accessLogsBucket.js';
import { grantItemWriter } from './grantItemWriter.js';
import { grantPrefixAccess } from './grantPrefixAccess.js';
import { IngestQueue } from './ingestQueue.js';
import { MediaBucket } from './mediaBucket.js';
import { acknowledgeBucketNotificationsHandler } from './nagFindings.js';
import { PipelineFunction } from './pipelineFunction.js';
import { PipelineMonitoring } from './pipelineMonitoring.js';
import { ReconcileSchedule } from './reconcileSchedule.js';
import { repoPaths } from './repoPaths.js';
import { RetrievalIndex } from './retrievalIndex.js';
import { stackOutputKeys } from './stackOutputs.js';
import { VideoProcessing } from './videoProcessing.js';
import { ViewerDistribution } from './viewerDistribution.js';
import { ViewerSite } from './viewerSite.js';

// Deploy-time knobs that only the stack reads. Names, limits, batch sizes and
// timeouts shared with the handlers and the local mode are in functions/config.
const logRetention = RetentionDays.ONE_MONTH;
const hstsMaxAge = Duration.days(365);
/** Manifests carry no Cache-Control; an updated item shows at the edge within this. */
const itemsDefaultTtl = Duration.minutes(1);
const abortIncompleteUploadsAfter = Duration.days(7);
/** S3 server access logs and CloudFront standard logs are kept this long. */
const accessLogRetention = Duration.days(90);

export interface XrMediaPipelineStackProps extends StackProps {
  /** The built viewer (index.html and assets). Default: viewer/dist, written by `npm run build:viewer`. */
  viewerAssetPath?: string;
  /** Reserved concurrency of the API function; default pipelineConfig.api.reservedConcurrency (0: none). */
  apiReservedConcurrency?: number;
}

/** Everything `cdk deploy` creates, in the order it comes to life: storage, events, functions, then the edge. */
export class XrMediaPipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: XrMediaPipelineStackProps = {}) {
    super(scope, id, props);
    const { prefixes, ingest, api, viewer } = pipelineConfig;

    // 1. Where uploads land and items are written, and where every access to them is logged.
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retention: accessLogRetention });
    const mediaBucket = new MediaBucket(this, 'MediaBucket', {
      corsAllowedOrigins: viewer.corsAllowedOrigins,
      abortIncompleteUploadsAfter,
      accessLogs: { bucket: accessLogs, prefix: accessLogPrefixes.mediaBucket },
    });
    const environment = lambdaEnvRecord({ mediaBucket: mediaBucket.bucketName });

    // 2. Upload events go to a queue, never straight to a function: retries, batching and a DLQ come with it.
    const ingestQueue = new IngestQueue(this, 'Ingest', {
      consumerTimeoutSeconds: ingest.timeoutSeconds,
      visibilityTimeoutSeconds: ingest.visibilityTimeoutSeconds,
      maxReceiveCount: ingest.maxReceiveCount,
      deadLetterRetentionDays: ingest.deadLetterRetentionDays,
    });
    const uploadsOnly = { prefix: prefixes.uploads };
    const toIngestQueue = new SqsDestination(ingestQueue.queue);
    mediaBucket.addEventNotification(EventType.OBJECT_CREATED, toIngestQueue, uploadsOnly);
    mediaBucket.addEventNotification(EventType.OBJECT_REMOVED, toIngestQueue, uploadsOnly);
    acknowledgeBucketNotificationsHandler(this);

    // 3. The ingest function: upload in, item (or error record) out.
    const ingestFunction = new PipelineFunction(this, 'IngestFunction', {
      entry: repoPaths.ingestHandler,
      description: 'Turns an upload into an item (previews, manifest) or an error record',
      memoryMb: ingest.memoryMb,
      timeoutSeconds: ingest.timeoutSeconds,
      environment,
      logRetention,
      // sharp loads a native libvips binary, which esbuild cannot bundle.
      nodeModules: ['sharp'],
    });
    ingestFunction.addEventSource(
      new SqsEventSource(ingestQueue.queue, {
        batchSize: ingest.batchSize,
        maxBatchingWindow: Duration.seconds(ingest.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        maxConcurrency: ingest.maxConcurrency,
      }),
    );
    // Read uploads; own items/, errors/ and sources/.
    const itemWriterPrefixes = { uploads: prefixes.uploads, owned: [prefixes.items, prefixes.errors, prefixes.sources] };
    grantItemWriter(mediaBucket, ingestFunction, itemWriterPrefixes);

    // 3b. Videos: ingest routes them to their own queue and function (ffmpeg layer, /tmp, long timeout).
    const videoProcessing = new VideoProcessing(this, 'Video', {
      mediaBucket,
      environment,
      logRetention,
      itemWriterPrefixes,
      routingFunction: ingestFunction,
    });

    // 3c. Reconciliation: a scheduled sweep re-announces uploads whose event was lost.
    const reconcile = new ReconcileSchedule(this, 'Reconcile', { mediaBucket, ingestQueue: ingestQueue.queue, environment, logRetention });

    // 4. The API function, reachable only through CloudFront (IAM-authenticated URL, signed by OAC).
    const apiFunction = new PipelineFunction(this, 'ApiFunction', {
      entry: repoPaths.apiHandler,
      description: 'Read-only HTTP API over items/ and the retrieval index, behind CloudFront',
      memoryMb: api.memoryMb,
      timeoutSeconds: api.timeoutSeconds,
      ...reservedConcurrency(props.apiReservedConcurrency ?? api.reservedConcurrency),
      environment,
      logRetention,
      // Search by image embeds the posted image with sharp.
      nodeModules: ['sharp'],
    });
    // items/ for the catalog and similar items; errors/ so the viewer can say why an upload failed.
    grantPrefixAccess(mediaBucket, apiFunction, { read: [`${prefixes.items}*`, `${prefixes.errors}*`] });
    // Items announce themselves to the retrieval index; the API searches it.
    const retrievalIndex = new RetrievalIndex(this, 'RetrievalIndex', {
      mediaBucket,
      environment,
      logRetention,
      announcers: [ingestFunction, videoProcessing.function],
      readers: [apiFunction],
    });
    const apiFunctionUrl = apiFunction.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });

    // 5. The viewer's files, then the one HTTPS origin that serves the viewer, previews and API.
    const site = new ViewerSite(this, 'ViewerSite', {
      viewerAssetPath: props.viewerAssetPath ?? repoPaths.viewerDist,
      accessLogs: { bucket: accessLogs, prefix: accessLogPrefixes.siteBucket },
    });
    const distribution = new ViewerDistribution(this, 'ViewerDistribution', {
      siteBucket: site.bucket,
      mediaBucket,
      itemsPrefix: prefixes.items,
      apiFunctionUrl,
      apiRoutePrefix: api.routePrefix,
      itemsDefaultTtl,
      hstsMaxAge,
      accessLogs: { bucket: accessLogs, prefix: accessLogPrefixes.distribution },
    });

    // 6. What the upload CLI and people need to find the deployed pipeline.
    new CfnOutput(this, stackOutputKeys.mediaBucketName, { value: mediaBucket.bucketName });
    new CfnOutput(this, stackOutputKeys.uploadPrefix, { value: prefixes.uploads });
    new CfnOutput(this, stackOutputKeys.viewerUrl, { value: `https://${distribution.distributionDomainName}` });
    new CfnOutput(this, stackOutputKeys.ingestQueueUrl, { value: ingestQueue.queue.queueUrl });
    new CfnOutput(this, stackOutputKeys.ingestDeadLetterQueueUrl, { value: ingestQueue.deadLetterQueue.queueUrl });
    new CfnOutput(this, stackOutputKeys.apiFunctionName, { value: apiFunction.functionName });
    new CfnOutput(this, stackOutputKeys.videoQueueUrl, { value: videoProcessing.queue.queue.queueUrl });
    new CfnOutput(this, stackOutputKeys.videoDeadLetterQueueUrl, { value: videoProcessing.queue.deadLetterQueue.queueUrl });
    new CfnOutput(this, stackOutputKeys.indexQueueUrl, { value: retrievalIndex.queue.queueUrl });
    new CfnOutput(this, stackOutputKeys.indexDeadLetterQueueUrl, { value: retrievalIndex.deadLetterQueue.queueUrl });

    // 7. Alarms on every dead-letter queue and on stuck work, to one topic, and a dashboard.
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      stackName: this.stackName,
      queues: [
        { name: 'ingest', queue: ingestQueue.queue, deadLetterQueue: ingestQueue.deadLetterQueue },
        { name: 'video', queue: videoProcessing.queue.queue, deadLetterQueue: videoProcessing.queue.deadLetterQueue },
        { name: 'index', queue: retrievalIndex.queue, deadLetterQueue: retrievalIndex.deadLetterQueue },
      ],
      functions: [
        { service: 'ingest', function: ingestFunction },
        { service: 'video', function: videoProcessing.function },
        { service: 'indexer', function: retrievalIndex.function },
        { service: 'api', function: apiFunction },
        { service: 'reconcile', function: reconcile.function },
      ],
    });
    new CfnOutput(this, stackOutputKeys.alarmTopicArn, { value: monitoring.alarmTopic.topicArn });
    new CfnOutput(this, stackOutputKeys.dashboardUrl, { value: monitoring.dashboardUrl });
  }
}

/** 0 reserves none (Lambda's default): the function shares the account's unreserved pool. */
function reservedConcurrency(count: number): { reservedConcurrency?: number } {
  return count > 0 ? { reservedConcurrency: count } : {};
}
