import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig, queueStageList, queueStages } from '../../functions/config/index.js';
import { QueueWorker, VisibilityTimeoutTooShortError } from '../../lib/queueWorker.js';
import { queueOutputKeys, stackOutputKeys } from '../../lib/stackOutputs.js';
import { ViewerNotBuiltError } from '../../lib/viewerAssets.js';
import { viewerContentSecurityPolicy } from '../../lib/viewerContentSecurityPolicy.js';
import { buildStack, fakeViewerBuild } from '../helpers/stackUnderTest.js';

const { prefixes, ingest, api, video } = pipelineConfig;

type CfnValue = unknown;
interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}
interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource?: CfnValue | CfnValue[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The real stack, minus esbuild. */
function synthesize(viewerAssetPath: string): Template {
  const { stack } = buildStack(viewerAssetPath);
  expect(stack.bundlingRequired).toBe(false);
  return Template.fromStack(stack);
}

function onlyResource(template: Template, type: string, props?: Record<string, unknown>): [string, CfnResource] {
  const found = Object.entries(template.findResources(type, props ? { Properties: props } : undefined)) as [string, CfnResource][];
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0]!;
}

const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
const ref = (logicalId: string) => ({ Ref: logicalId });
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * What a role may do on the media bucket, keyed by the resource: '' for the bucket
 * itself, '/uploads/*' and the like for object patterns.
 */
function s3ActionsByResource(template: Template, roleLogicalId: string, bucketLogicalId: string): Map<string, Set<string>> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([ref(roleLogicalId)]) },
  }) as Record<string, CfnResource>;
  const byResource = new Map<string, Set<string>>();
  const bucketArn = JSON.stringify(getAtt(bucketLogicalId, 'Arn'));
  for (const policy of Object.values(policies)) {
    const document = policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
    for (const statement of document.Statement) {
      const s3Actions = asArray(statement.Action).filter((action) => action.startsWith('s3:'));
      if (statement.Effect !== 'Allow' || s3Actions.length === 0) continue;
      for (const resource of asArray(statement.Resource)) {
        const key = s3ResourceSuffix(resource, bucketArn);
        const actions = byResource.get(key) ?? new Set<string>();
        for (const action of s3Actions) actions.add(action);
        byResource.set(key, actions);
      }
    }
  }
  return byResource;
}

function s3ResourceSuffix(resource: CfnValue, bucketArn: string): string {
  if (JSON.stringify(resource) === bucketArn) return '';
  const join = (resource as { 'Fn::Join'?: [string, CfnValue[]] })['Fn::Join'];
  if (join && JSON.stringify(join[1][0]) === bucketArn && join[1].length === 2) return String(join[1][1]);
  throw new Error(`unexpected S3 resource in an IAM policy: ${JSON.stringify(resource)}`);
}

const isMutating = (action: string) => /^s3:(Put|Delete|Abort)/.test(action);

describe('XrMediaPipelineStack', () => {
  let viewerDist: ReturnType<typeof fakeViewerBuild>;
  let template: Template;
  let resources: Record<string, CfnResource>;
  let mediaBucketId: string;
  let ingestQueueId: string;
  let deadLetterQueueId: string;
  let ingestFunctionId: string;
  let apiFunctionId: string;
  let apiFunctionUrlId: string;

  beforeAll(() => {
    viewerDist = fakeViewerBuild();
    template = synthesize(viewerDist.path);
    resources = template.toJSON().Resources as Record<string, CfnResource>;

    const [notificationsId, notifications] = onlyResource(template, 'Custom::S3BucketNotifications');
    expect(notificationsId).toBeTruthy();
    mediaBucketId = (notifications.Properties?.BucketName as { Ref: string }).Ref;
    // The ingest queue is the one S3 notifies; the ingest function the one that consumes it.
    const configurations = (
      notifications.Properties?.NotificationConfiguration as { QueueConfigurations: { QueueArn: { 'Fn::GetAtt': [string, string] } }[] }
    ).QueueConfigurations;
    ingestQueueId = configurations[0]!.QueueArn['Fn::GetAtt'][0];
    deadLetterQueueId = deadLetterQueueOf(ingestQueueId);
    ingestFunctionId = consumerOf(ingestQueueId);
    // Of the two function URLs (the API and the sign-in), the API's function is the one that reads the media bucket.
    const urlTarget = (url: CfnResource) => (url.Properties?.TargetFunctionArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const apiUrls = (Object.entries(template.findResources('AWS::Lambda::Url')) as [string, CfnResource][]).filter(([, url]) =>
      JSON.stringify(resources[urlTarget(url)]!.Properties?.Environment ?? {}).includes(lambdaEnvNames.mediaBucket),
    );
    expect(apiUrls).toHaveLength(1);
    apiFunctionUrlId = apiUrls[0]![0];
    apiFunctionId = urlTarget(apiUrls[0]![1]);
  });

  afterAll(() => viewerDist.remove());

  function deadLetterQueueOf(queueId: string): string {
    const redrive = resources[queueId]!.Properties?.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } };
    return redrive.deadLetterTargetArn['Fn::GetAtt'][0];
  }
  /** The standard (not FIFO) queue the ingest function may send to: where it routes videos. */
  function videoQueueId(): string {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([ref(roleOf(ingestFunctionId))]) },
    }) as Record<string, CfnResource>;
    const sendTargets = Object.values(policies).flatMap((policy) =>
      (policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement.filter((statement) =>
        asArray(statement.Action).includes('sqs:SendMessage'),
      ).flatMap((statement) => asArray(statement.Resource)),
    ) as { 'Fn::GetAtt': [string, string] }[];
    const standard = sendTargets.filter((target) => resources[target['Fn::GetAtt'][0]]!.Properties?.FifoQueue !== true);
    expect(standard).toHaveLength(1);
    return standard[0]!['Fn::GetAtt'][0];
  }
  function roleOf(functionId: string): string {
    return (resources[functionId]!.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  }
  /** The FIFO queue ingest announces items to: the retrieval index's updates. */
  function indexQueueId(): string {
    const [id] = onlyResource(template, 'AWS::SQS::Queue', { FifoQueue: true, RedrivePolicy: Match.anyValue() });
    return id;
  }
  /** The function the reconciliation schedule runs. */
  function reconcileFunctionId(): string {
    const [, rule] = onlyResource(template, 'AWS::Events::Rule');
    return (rule.Properties?.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[])[0]!.Arn['Fn::GetAtt'][0];
  }
  /** Where the media bucket's server access logs go. */
  function accessLogsBucketId(): string {
    return (resources[mediaBucketId]!.Properties?.LoggingConfiguration as { DestinationBucketName: { Ref: string } }).DestinationBucketName
      .Ref;
  }
  function consumerOf(queueId: string): string {
    const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(queueId, 'Arn') });
    return (mapping.Properties?.FunctionName as { Ref: string }).Ref;
  }

  describe('upload events', () => {
    it('sends ObjectCreated and ObjectRemoved under the uploads prefix to the ingest queue, and nothing straight to a function', () => {
      const uploadsFilter = { Key: { FilterRules: [{ Name: 'prefix', Value: prefixes.uploads }] } };
      const [, notifications] = onlyResource(template, 'Custom::S3BucketNotifications');
      expect(notifications.Properties?.NotificationConfiguration).toEqual({
        QueueConfigurations: [
          { Events: ['s3:ObjectCreated:*'], Filter: uploadsFilter, QueueArn: getAtt(ingestQueueId, 'Arn') },
          { Events: ['s3:ObjectRemoved:*'], Filter: uploadsFilter, QueueArn: getAtt(ingestQueueId, 'Arn') },
        ],
      });
    });

    it('lets only the media bucket send to the ingest queue', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(ingestQueueId)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: Match.arrayWith(['sqs:SendMessage']),
              Condition: { ArnLike: { 'aws:SourceArn': getAtt(mediaBucketId, 'Arn') } },
            }),
          ]),
        },
      });
    });
  });

  describe('ingest queue', () => {
    it('keeps messages invisible for the configured time, at least 6x the function timeout', () => {
      const visibility = resources[ingestQueueId]!.Properties?.VisibilityTimeout;
      const functionTimeout = resources[ingestFunctionId]!.Properties?.Timeout;
      expect(visibility).toBe(ingest.visibilityTimeoutSeconds);
      expect(functionTimeout).toBe(ingest.timeoutSeconds);
      expect(visibility).toBeGreaterThanOrEqual(6 * (functionTimeout as number));
    });

    it('moves a message to the dead-letter queue after 5 receives and keeps it there 14 days', () => {
      expect(resources[ingestQueueId]!.Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(deadLetterQueueId, 'Arn'),
        maxReceiveCount: 5,
      });
      expect(resources[deadLetterQueueId]!.Type).toBe('AWS::SQS::Queue');
      expect(resources[deadLetterQueueId]!.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
    });

    it('encrypts both queues and refuses plain HTTP to them', () => {
      for (const queueId of [ingestQueueId, deadLetterQueueId]) {
        expect(resources[queueId]!.Properties?.SqsManagedSseEnabled).toBe(true);
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [ref(queueId)],
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        });
      }
    });

    it('rejects a visibility timeout shorter than 6x the function timeout', () => {
      const stack = new Stack(new App());
      expect(
        () =>
          new QueueWorker(stack, 'TooShort', {
            stage: {
              ...queueStages.ingest,
              queue: { ...queueStages.ingest.queue, visibilityTimeoutSeconds: 6 * ingest.timeoutSeconds - 1 },
            },
            environment: {},
            logRetention: RetentionDays.ONE_DAY,
          }),
      ).toThrow(VisibilityTimeoutTooShortError);
    });
  });

  describe('ingest function', () => {
    it('consumes the ingest queue in configured batches with partial batch failures and a concurrency ceiling', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(ingestQueueId, 'Arn'),
        FunctionName: ref(ingestFunctionId),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: ingest.batchSize,
        MaximumBatchingWindowInSeconds: ingest.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: ingest.maxConcurrency },
      });
    });

    it('has the configured memory, the media bucket and the video queue in its environment', () => {
      const properties = resources[ingestFunctionId]!.Properties!;
      expect(properties.MemorySize).toBe(ingest.memoryMb);
      expect(properties.Environment).toEqual({
        Variables: {
          [lambdaEnvNames.mediaBucket]: ref(mediaBucketId),
          [lambdaEnvNames.videoQueueUrl]: ref(videoQueueId()),
          [lambdaEnvNames.indexQueueUrl]: ref(indexQueueId()),
        },
      });
    });

    it('reads uploads without changing them, owns items/, errors/ and sources/, and may list the bucket', () => {
      const role = (resources[ingestFunctionId]!.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const grants = s3ActionsByResource(template, role, mediaBucketId);
      expect([...grants.keys()].sort()).toEqual(
        ['', `/${prefixes.errors}*`, `/${prefixes.items}*`, `/${prefixes.sources}*`, `/${prefixes.uploads}*`].sort(),
      );
      const uploads = [...grants.get(`/${prefixes.uploads}*`)!];
      expect(uploads).toEqual(['s3:GetObject']);
      expect(uploads.filter(isMutating)).toEqual([]);
      for (const owned of [prefixes.items, prefixes.errors, prefixes.sources]) {
        expect([...grants.get(`/${owned}*`)!].sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
      }
      expect([...grants.get('')!]).toEqual(['s3:ListBucket']);
    });
  });

  describe('API function', () => {
    it('has the configured memory, timeout and environment, and reserves no concurrency unless asked', () => {
      const properties = resources[apiFunctionId]!.Properties!;
      expect(properties.MemorySize).toBe(api.memoryMb);
      expect(properties.Timeout).toBe(api.timeoutSeconds);
      // A new account's quota of 10 leaves no room for a reservation: the default deploy must not ask for one.
      expect(api.reservedConcurrency).toBe(0);
      expect(properties).not.toHaveProperty('ReservedConcurrentExecutions');
      expect(properties.Environment).toEqual({ Variables: { [lambdaEnvNames.mediaBucket]: ref(mediaBucketId) } });
    });

    it('only reads items/, errors/ and index/ and lists the bucket', () => {
      const role = (resources[apiFunctionId]!.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const grants = s3ActionsByResource(template, role, mediaBucketId);
      expect([...grants.keys()].sort()).toEqual(
        ['', `/${prefixes.errors}*`, `/${pipelineConfig.vq.prefix}*`, `/${prefixes.items}*`].sort(),
      );
      expect([...grants.get(`/${prefixes.items}*`)!]).toEqual(['s3:GetObject']);
      expect([...grants.get(`/${prefixes.errors}*`)!]).toEqual(['s3:GetObject']);
      expect([...grants.get('')!]).toEqual(['s3:ListBucket']);
      for (const actions of grants.values()) expect([...actions].filter(isMutating)).toEqual([]);
    });

    it('has an IAM-authenticated function URL that only this distribution may invoke', () => {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'AWS_IAM',
        TargetFunctionArn: getAtt(apiFunctionId, 'Arn'),
      });
      for (const action of ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']) {
        template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: action,
          Principal: 'cloudfront.amazonaws.com',
          SourceArn: { 'Fn::Join': ['', Match.arrayWith([':distribution/', ref(distributionId())])] },
        });
      }
    });
  });

  describe('our functions', () => {
    it('run on nodejs22.x, x86_64 (the sharp binaries in the asset are linux-x64), with a log retention', () => {
      const ours = template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { [lambdaEnvNames.mediaBucket]: Match.anyValue() } } },
      }) as Record<string, CfnResource>;
      expect(Object.keys(ours).sort()).toEqual(
        [apiFunctionId, ingestFunctionId, consumerOf(videoQueueId()), consumerOf(indexQueueId()), reconcileFunctionId()].sort(),
      );
      for (const fn of Object.values(ours)) {
        expect(fn.Properties?.Runtime).toBe('nodejs22.x');
        expect(fn.Properties?.Architectures).toEqual(['x86_64']);
        expect(fn.Properties?.Handler).toBe('index.handler');
        const logGroupId = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(resources[logGroupId]!.Properties?.RetentionInDays).toEqual(expect.any(Number));
      }
    });
  });

  describe('buckets', () => {
    it('keeps every bucket private, encrypted and TLS-only', () => {
      const buckets = template.findResources('AWS::S3::Bucket') as Record<string, CfnResource>;
      expect(Object.keys(buckets)).toHaveLength(3);
      for (const [bucketId, bucket] of Object.entries(buckets)) {
        expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties?.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: ref(bucketId),
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('retains the media bucket (user data) and allows cross-origin GET/HEAD from the configured origins', () => {
      const media = resources[mediaBucketId]!;
      expect(media.DeletionPolicy).toBe('Retain');
      expect(media.Properties?.CorsConfiguration).toEqual({
        CorsRules: [
          expect.objectContaining({ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: [...pipelineConfig.viewer.corsAllowedOrigins] }),
        ],
      });
    });

    it('lets CloudFront read items/ from the media bucket and nothing else', () => {
      const [, policy] = onlyResource(template, 'AWS::S3::BucketPolicy', { Bucket: ref(mediaBucketId) });
      const statements = (policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement;
      const cloudFront = statements.filter(
        (statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'cloudfront.amazonaws.com' }),
      );
      expect(cloudFront).toHaveLength(1);
      expect(cloudFront[0]).toMatchObject({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [getAtt(mediaBucketId, 'Arn'), `/${prefixes.items}*`]] },
      });
      expect(JSON.stringify(cloudFront[0]!.Condition)).toContain(JSON.stringify(ref(distributionId())));
    });
  });

  describe('viewer site', () => {
    it('deletes the site bucket and its objects with the stack: it only holds a rebuildable viewer', () => {
      const [siteBucketId, bucket] = siteBucket();
      expect(bucket.DeletionPolicy).toBe('Delete');
      template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: ref(siteBucketId) });
    });

    it('deploys the built viewer to the site bucket, the entry page revalidated on every load', () => {
      const [siteBucketId] = siteBucket();
      const deployments = template.findResources('Custom::CDKBucketDeployment', {
        Properties: { DestinationBucketName: ref(siteBucketId) },
      }) as Record<string, CfnResource>;
      expect(Object.keys(deployments)).toHaveLength(2);
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: ref(siteBucketId),
        Include: ['index.html'],
        SystemMetadata: { 'cache-control': 'no-cache' },
      });
    });

    it('refuses to synthesize without a built viewer and says how to build it', () => {
      const empty = mkdtempSync(join(tmpdir(), 'xr-viewer-empty-'));
      try {
        expect(() => synthesize(empty)).toThrow(ViewerNotBuiltError);
        expect(() => synthesize(empty)).toThrow(/npm run build:viewer/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  describe('CloudFront', () => {
    it('serves the site bucket by default over HTTPS with index.html, HTTP/2 and HTTP/3', () => {
      const config = distributionConfig();
      expect(config.DefaultRootObject).toBe('index.html');
      expect(config.HttpVersion).toBe('http2and3');
      expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(originDomain(config.DefaultCacheBehavior.TargetOriginId)).toEqual(getAtt(siteBucket()[0], 'RegionalDomainName'));
    });

    it('reaches every origin through origin access control', () => {
      const config = distributionConfig();
      // The site bucket, the media bucket, the API and the sign-in.
      expect(config.Origins).toHaveLength(4);
      for (const origin of config.Origins) {
        const oacId = (origin.OriginAccessControlId as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt'][0];
        expect(oacId, `origin ${origin.Id}`).toBeDefined();
        const oac = resources[oacId!]!.Properties?.OriginAccessControlConfig as Record<string, string>;
        expect(oac).toMatchObject({ SigningBehavior: 'always', SigningProtocol: 'sigv4' });
        expect(oac.OriginAccessControlOriginType).toBe(origin.S3OriginConfig ? 's3' : 'lambda');
      }
    });

    it(`routes ${prefixes.items}* to the media bucket`, () => {
      const behavior = behaviorFor(`${prefixes.items}*`);
      expect(originDomain(behavior.TargetOriginId)).toEqual(getAtt(mediaBucketId, 'RegionalDomainName'));
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behavior.AllowedMethods ?? ['GET', 'HEAD']).toEqual(['GET', 'HEAD']);
    });

    it(`routes ${api.routePrefix}* uncached, with every viewer header but Host, all methods, to the API function URL`, () => {
      const behavior = behaviorFor(`${api.routePrefix}*`);
      const domain = JSON.stringify(originDomain(behavior.TargetOriginId));
      expect(domain).toContain(JSON.stringify(getAtt(apiFunctionUrlId, 'FunctionUrl')));
      expect(behavior.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
      expect(behavior.OriginRequestPolicyId).toBe(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
      expect([...(behavior.AllowedMethods ?? [])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    });

    it('adds security headers and a same-origin CSP for the three.js viewer to every behavior', () => {
      const [policyId, policy] = onlyResource(template, 'AWS::CloudFront::ResponseHeadersPolicy');
      const config = distributionConfig();
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior.ResponseHeadersPolicyId).toEqual(ref(policyId));
      }
      const headers = (policy.Properties?.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> })
        .SecurityHeadersConfig;
      expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: expect.any(Number), Override: true });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
      expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'strict-origin-when-cross-origin' });
      // The one policy the browser tests also apply (lib/viewerContentSecurityPolicy.ts), and it is strict.
      const csp = String(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
      expect(csp).toBe(viewerContentSecurityPolicy);
      for (const directive of [
        "default-src 'none'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]) {
        expect(csp.split('; ')).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-|\*|data:|blob:|http:/);
    });
  });

  describe('retrieval index', () => {
    it('takes updates on an encrypted, TLS-only FIFO queue without content deduplication, dead-lettered after the configured receives', () => {
      const queue = resources[indexQueueId()]!.Properties!;
      expect(queue).toMatchObject({
        FifoQueue: true,
        SqsManagedSseEnabled: true,
        VisibilityTimeout: pipelineConfig.indexer.visibilityTimeoutSeconds,
      });
      expect(queue.ContentBasedDeduplication).not.toBe(true);
      expect(pipelineConfig.indexer.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * pipelineConfig.indexer.timeoutSeconds);
      const deadLetters = resources[deadLetterQueueOf(indexQueueId())]!.Properties!;
      expect(deadLetters).toMatchObject({ FifoQueue: true, SqsManagedSseEnabled: true });
      expect((queue.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBe(pipelineConfig.indexer.maxReceiveCount);
    });

    it('is consumed by the indexer in batches from config; ingest and video may send to it', () => {
      const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping', { EventSourceArn: getAtt(indexQueueId(), 'Arn') });
      expect(mapping.Properties?.BatchSize).toBe(pipelineConfig.indexer.batchSize);
      const indexer = resources[consumerOf(indexQueueId())]!.Properties!;
      expect(indexer).toMatchObject({ MemorySize: pipelineConfig.indexer.memoryMb, Timeout: pipelineConfig.indexer.timeoutSeconds });
      for (const sender of [ingestFunctionId, consumerOf(videoQueueId())]) {
        const policies = template.findResources('AWS::IAM::Policy', {
          Properties: { Roles: Match.arrayWith([ref(roleOf(sender))]) },
        }) as Record<string, CfnResource>;
        const sendsToIndex = Object.values(policies).some((policy) =>
          (policy.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement.some(
            (statement) =>
              asArray(statement.Action).includes('sqs:SendMessage') &&
              asArray(statement.Resource).some((resource) => JSON.stringify(resource) === JSON.stringify(getAtt(indexQueueId(), 'Arn'))),
          ),
        );
        expect(sendsToIndex, sender).toBe(true);
      }
    });

    it('lets the indexer read embeddings only, and own index/', () => {
      const grants = s3ActionsByResource(template, roleOf(consumerOf(indexQueueId())), mediaBucketId);
      const { vq } = pipelineConfig;
      expect([...grants.keys()].sort()).toEqual(['', `/${prefixes.items}*/embeddings/*`, `/${vq.prefix}*`].sort());
      expect([...grants.get(`/${prefixes.items}*/embeddings/*`)!].filter(isMutating)).toEqual([]);
      expect([...grants.get(`/${vq.prefix}*`)!].sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    });
  });

  describe('video processing', () => {
    it('lets the ingest function send to the video queue, which the video function consumes one job at a time', () => {
      const videoQueue = videoQueueId();
      expect(videoQueue).not.toBe(ingestQueueId);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(videoQueue, 'Arn'),
        FunctionName: ref(consumerOf(videoQueue)),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: video.maxConcurrency },
      });
    });

    it('keeps a job invisible at least 6x the video timeout and dead-letters it after the configured receives', () => {
      const videoQueue = resources[videoQueueId()]!.Properties!;
      const videoFunction = resources[consumerOf(videoQueueId())]!.Properties!;
      expect(videoQueue.VisibilityTimeout).toBe(video.visibilityTimeoutSeconds);
      expect(videoQueue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (videoFunction.Timeout as number));
      const deadLetterQueue = deadLetterQueueOf(videoQueueId());
      expect(videoQueue.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt(deadLetterQueue, 'Arn'),
        maxReceiveCount: video.maxReceiveCount,
      });
      expect(resources[deadLetterQueue]!.Properties?.MessageRetentionPeriod).toBe(video.deadLetterRetentionDays * 24 * 60 * 60);
      expect(resources[deadLetterQueue]!.Properties?.SqsManagedSseEnabled).toBe(true);
    });

    it('sizes the video function from config and runs ffmpeg from a layer for the same runtime and architecture', () => {
      const properties = resources[consumerOf(videoQueueId())]!.Properties!;
      expect(properties.MemorySize).toBe(video.memoryMb);
      expect(properties.Timeout).toBe(video.timeoutSeconds);
      expect(properties.EphemeralStorage).toEqual({ Size: video.ephemeralStorageMb });
      expect(properties.Environment).toEqual({
        Variables: {
          [lambdaEnvNames.mediaBucket]: ref(mediaBucketId),
          [lambdaEnvNames.ffmpegPath]: '/opt/bin/ffmpeg',
          [lambdaEnvNames.ffprobePath]: '/opt/bin/ffprobe',
          [lambdaEnvNames.indexQueueUrl]: ref(indexQueueId()),
        },
      });
      const layers = properties.Layers as { Ref: string }[];
      expect(layers).toHaveLength(1);
      const layer = resources[layers[0]!.Ref]!;
      expect(layer.Type).toBe('AWS::Lambda::LayerVersion');
      expect(layer.Properties?.Description).toMatch(/^ffmpeg and ffprobe/);
      expect(layer.Properties?.CompatibleRuntimes).toEqual(['nodejs22.x']);
      expect(layer.Properties?.CompatibleArchitectures).toEqual(['x86_64']);
    });

    it('reads uploads without changing them and owns items/, errors/ and sources/, like ingest', () => {
      const videoGrants = s3ActionsByResource(template, roleOf(consumerOf(videoQueueId())), mediaBucketId);
      const ingestGrants = s3ActionsByResource(template, roleOf(ingestFunctionId), mediaBucketId);
      expect(videoGrants).toEqual(ingestGrants);
    });
  });

  describe('outputs', () => {
    it('names the bucket, upload prefix, viewer URL, queues and API function under the keys the CLI reads', () => {
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      const queueKeys = queueStageList.flatMap((stage) => Object.values(queueOutputKeys(stage.name)));
      expect(Object.keys(outputs).sort()).toEqual([...Object.values(stackOutputKeys), ...queueKeys].sort());
      expect(outputs[stackOutputKeys.mediaBucketName]!.Value).toEqual(ref(mediaBucketId));
      expect(outputs[stackOutputKeys.uploadPrefix]!.Value).toBe(prefixes.uploads);
      expect(outputs[stackOutputKeys.viewerUrl]!.Value).toEqual({
        'Fn::Join': ['', ['https://', getAtt(distributionId(), 'DomainName')]],
      });
      expect(outputs[queueOutputKeys('ingest').work]!.Value).toEqual(ref(ingestQueueId));
      expect(outputs[queueOutputKeys('ingest').deadLetter]!.Value).toEqual(ref(deadLetterQueueId));
      expect(outputs[stackOutputKeys.apiFunctionName]!.Value).toEqual(ref(apiFunctionId));
      expect(outputs[queueOutputKeys('video').work]!.Value).toEqual(ref(videoQueueId()));
      expect(outputs[queueOutputKeys('video').deadLetter]!.Value).toEqual(ref(deadLetterQueueOf(videoQueueId())));
      expect(outputs[queueOutputKeys('index').work]!.Value).toEqual(ref(indexQueueId()));
      expect(outputs[queueOutputKeys('index').deadLetter]!.Value).toEqual(ref(deadLetterQueueOf(indexQueueId())));
    });
  });

  // Lookups over the synthesized template, shared by the cases above.

  interface Behavior {
    PathPattern?: string;
    TargetOriginId: string;
    ViewerProtocolPolicy: string;
    CachePolicyId?: unknown;
    OriginRequestPolicyId?: unknown;
    ResponseHeadersPolicyId?: unknown;
    AllowedMethods?: string[];
  }
  interface Origin {
    Id: string;
    DomainName: unknown;
    OriginAccessControlId?: unknown;
    S3OriginConfig?: unknown;
  }
  interface DistributionConfig {
    DefaultRootObject?: string;
    HttpVersion?: string;
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Origin[];
  }

  function distributionId(): string {
    return onlyResource(template, 'AWS::CloudFront::Distribution')[0];
  }

  function distributionConfig(): DistributionConfig {
    return onlyResource(template, 'AWS::CloudFront::Distribution')[1].Properties?.DistributionConfig as DistributionConfig;
  }

  function siteBucket(): [string, CfnResource] {
    const others = Object.entries(template.findResources('AWS::S3::Bucket')).filter(
      ([id]) => id !== mediaBucketId && id !== accessLogsBucketId(),
    );
    expect(others).toHaveLength(1);
    return others[0] as [string, CfnResource];
  }

  function behaviorFor(pathPattern: string): Behavior {
    const matches = distributionConfig().CacheBehaviors.filter((behavior) => behavior.PathPattern === pathPattern);
    expect(matches, pathPattern).toHaveLength(1);
    return matches[0]!;
  }

  function originDomain(originId: string): unknown {
    const origin = distributionConfig().Origins.find((candidate) => candidate.Id === originId);
    expect(origin, originId).toBeDefined();
    return origin!.DomainName;
  }
});
