import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import {
  lambdaEnvRecord,
  pipelineConfig,
  queueStageList,
  queueStages,
  type EmbeddingModelSetting,
  type QueueStageName,
} from '../functions/config/index.js';
import { AccessLogsBucket, accessLogPrefixes } from './accessLogsBucket.js';
import { EmbeddingModelDeployment } from './embeddingModelDeployment.js';
import { FfmpegLayer, ffmpegLayerEnvironment } from './ffmpegLayer.js';
import { grantItemWriter } from './grantItemWriter.js';
import { grantPrefixAccess } from './grantPrefixAccess.js';
import { MediaBucket } from './mediaBucket.js';
import { acknowledgeBucketNotificationsHandler } from './nagFindings.js';
import { PipelineFunction } from './pipelineFunction.js';
import { PipelineMonitoring } from './pipelineMonitoring.js';
import { ReconcileSchedule } from './reconcileSchedule.js';
import { repoPaths } from './repoPaths.js';
import { QueueWorker } from './queueWorker.js';
import { SignIn, type SignInChoice } from './signIn.js';
import { queueOutputKeys, stackOutputKeys } from './stackOutputs.js';
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
  /** Who may sign in. Default: the stack's own Cognito user pool, every user of which may (users are added by the owner). */
  signIn?: SignInChoice;
  /** Bump to replace the CloudFront signing key, which ends every signed cookie and share link at once. Default 1. */
  signingKeyGeneration?: number;
  /**
   * A model of your own that ingest, video, the indexer and the search API embed with (an s3:// object; lib/deployContext.ts).
   * Default: the weight-free default embedder, no layer, no model access.
   */
  embeddingModel?: EmbeddingModelSetting;
}

/** Everything `cdk deploy` creates, in the order it comes to life: storage, the stages, events, the API, sign-in, then the edge. */
export class XrMediaPipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: XrMediaPipelineStackProps = {}) {
    super(scope, id, props);
    const { prefixes, api, viewer, vq, access } = pipelineConfig;

    // 1. Where uploads land and items are written, and where every access to them is logged.
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retention: accessLogRetention });
    const mediaBucket = new MediaBucket(this, 'MediaBucket', {
      corsAllowedOrigins: viewer.corsAllowedOrigins,
      abortIncompleteUploadsAfter,
      accessLogs: { bucket: accessLogs, prefix: accessLogPrefixes.mediaBucket },
    });
    const environment = lambdaEnvRecord({ mediaBucket: mediaBucket.bucketName });

    // 2. One queue worker per row of the stage table (functions/config/stageTable.ts): ingest, video, index.
    const ffmpegLayer = new FfmpegLayer(this, 'FfmpegLayer');
    // A model of your own: the ONNX runtime layer, the model's setting and memory for every function that embeds.
    const embeddingModel = props.embeddingModel ? new EmbeddingModelDeployment(this, 'EmbeddingModel', props.embeddingModel) : undefined;
    const embedding = embeddingModel?.settings;
    const workers = Object.fromEntries(
      queueStageList.map((stage) => {
        const { ffmpeg, embeds, memoryMb } = stage.consumer;
        const onnx = embeds ? embedding : undefined;
        const layers = [...(ffmpeg ? [ffmpegLayer] : []), ...(onnx?.layers ?? [])];
        const worker = new QueueWorker(this, stage.stackId, {
          stage,
          logRetention,
          environment: { ...environment, ...(ffmpeg ? ffmpegLayerEnvironment : {}), ...onnx?.environment },
          ...(layers.length > 0 ? { layers } : {}),
          ...(onnx ? { memoryMb: onnx.memoryMb(memoryMb), externalModules: onnx.externalModules } : {}),
        });
        if (onnx) embeddingModel?.grantRead(worker.function);
        return [stage.name, worker];
      }),
    ) as Record<QueueStageName, QueueWorker>;
    for (const worker of Object.values(workers)) {
      for (const target of worker.stage.consumer.sendsTo) {
        workers[target].queue.grantSendMessages(worker.function);
        worker.function.addEnvironment(queueStages[target].queue.urlEnv, workers[target].queue.queueUrl);
      }
    }

    // 3. Upload events go to the ingest queue, never straight to a function: retries, batching and a DLQ come with it.
    const uploadsOnly = { prefix: prefixes.uploads };
    const toIngestQueue = new SqsDestination(workers.ingest.queue);
    mediaBucket.addEventNotification(EventType.OBJECT_CREATED, toIngestQueue, uploadsOnly);
    mediaBucket.addEventNotification(EventType.OBJECT_REMOVED, toIngestQueue, uploadsOnly);
    acknowledgeBucketNotificationsHandler(this);
    // Ingest and video read uploads and own items/, errors/ and sources/.
    const itemWriterPrefixes = { uploads: prefixes.uploads, owned: [prefixes.items, prefixes.errors, prefixes.sources] };
    grantItemWriter(mediaBucket, workers.ingest.function, itemWriterPrefixes);
    grantItemWriter(mediaBucket, workers.video.function, itemWriterPrefixes);

    // 3b. Reconciliation: a scheduled sweep re-announces uploads whose event was lost, and ready items the index lacks.
    const reconcile = new ReconcileSchedule(this, 'Reconcile', {
      mediaBucket,
      ingestQueue: workers.ingest.queue,
      indexQueue: workers.index.queue,
      // Only the model's name and version (its index's key): the sweep never loads it.
      environment: { ...environment, ...embedding?.environment },
      logRetention,
    });

    // 4. The API function, reachable only through CloudFront (IAM-authenticated URL, signed by OAC).
    const apiFunction = new PipelineFunction(this, 'ApiFunction', {
      entry: repoPaths.handler('api'),
      description: 'Read-only HTTP API over items/ and the retrieval index, behind CloudFront',
      memoryMb: embedding ? embedding.memoryMb(api.memoryMb) : api.memoryMb,
      timeoutSeconds: api.timeoutSeconds,
      ...reservedConcurrency(props.apiReservedConcurrency ?? api.reservedConcurrency),
      environment: { ...environment, ...embedding?.environment },
      logRetention,
      // Search by image embeds the posted image with sharp (and with a model of your own, the layer's ONNX runtime).
      nodeModules: ['sharp'],
      ...(embedding ? { layers: embedding.layers, externalModules: embedding.externalModules } : {}),
    });
    if (embeddingModel) embeddingModel.grantRead(apiFunction);
    // items/ for the catalog and similar items; errors/ so the viewer can say why an upload failed.
    grantPrefixAccess(mediaBucket, apiFunction, { read: [`${prefixes.items}*`, `${prefixes.errors}*`] });
    // The indexer reads the vectors ingest wrote and owns index/; the API searches it.
    grantPrefixAccess(mediaBucket, workers.index.function, { read: [`${prefixes.items}*/embeddings/*`], write: [`${vq.prefix}*`] });
    grantPrefixAccess(mediaBucket, apiFunction, { read: [`${vq.prefix}*`] });
    const apiFunctionUrl = apiFunction.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });

    // 5. Sign-in: the key CloudFront checks signed cookies with, the OpenID provider, and the auth function that hands the cookies out.
    const signIn = new SignIn(this, 'SignIn', {
      choice: props.signIn ?? { provider: 'cognito' },
      signingKeyGeneration: props.signingKeyGeneration ?? 1,
      logRetention,
    });

    // 6. The viewer's files, then the one HTTPS origin: the viewer open to all, previews and the API for signed requests only, and the sign-in.
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
      authFunctionUrl: signIn.authFunctionUrl,
      authRoutePrefix: access.routePrefix,
      trustedKeyGroup: signIn.signingKey.keyGroup,
      itemsDefaultTtl,
      hstsMaxAge,
      accessLogs: { bucket: accessLogs, prefix: accessLogPrefixes.distribution },
    });
    // The provider's redirect URLs and the auth function's settings name the distribution.
    signIn.serveAt(distribution.distributionDomainName);

    // 7. What the upload CLI and people need to find the deployed pipeline.
    new CfnOutput(this, stackOutputKeys.mediaBucketName, { value: mediaBucket.bucketName });
    new CfnOutput(this, stackOutputKeys.uploadPrefix, { value: prefixes.uploads });
    new CfnOutput(this, stackOutputKeys.viewerUrl, { value: `https://${distribution.distributionDomainName}` });
    new CfnOutput(this, stackOutputKeys.apiFunctionName, { value: apiFunction.functionName });
    for (const worker of Object.values(workers)) {
      const keys = queueOutputKeys(worker.stage.name);
      new CfnOutput(this, keys.work, { value: worker.queue.queueUrl });
      new CfnOutput(this, keys.deadLetter, { value: worker.deadLetterQueue.queueUrl });
    }
    if (signIn.userPool) new CfnOutput(this, stackOutputKeys.userPoolId, { value: signIn.userPool.userPoolId });
    // The CLI reads the key with the operator's credentials to sign share links and its own API calls.
    new CfnOutput(this, stackOutputKeys.signingKeySecretArn, { value: signIn.signingKey.secret.secretArn });
    new CfnOutput(this, stackOutputKeys.signingKeyPairId, { value: signIn.signingKey.publicKey.publicKeyId });

    // 8. Alarms on every dead-letter queue and on stuck work, to one topic, and a dashboard.
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      stackName: this.stackName,
      workers: Object.values(workers),
      functions: [
        { service: 'api', function: apiFunction },
        { service: 'reconcile', function: reconcile.function },
        { service: 'auth', function: signIn.authFunction },
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
