import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig } from '../../functions/config/index.js';
import { accessLogPrefixes } from '../../lib/accessLogsBucket.js';
import { synthesizeStack, type CfnResource, type SynthesizedStack } from '../helpers/stackUnderTest.js';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
type GetAtt = { 'Fn::GetAtt': [string, string] };

const { prefixes, reconcile } = pipelineConfig;
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('the stack: reconciliation, the fault switch, logs and roles', () => {
  let template: Template;
  let resources: Record<string, CfnResource>;
  let ofType: SynthesizedStack['ofType'];

  beforeAll(() => ({ template, resources, ofType } = synthesizeStack()));
  const roleOf = (functionId: string) => (resources[functionId]!.Properties!.Role as GetAtt)['Fn::GetAtt'][0];
  const statementsOf = (roleId: string): Statement[] =>
    ofType('AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties!.Roles).includes(JSON.stringify({ Ref: roleId })))
      .flatMap(([, policy]) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  /** The media bucket and the ingest queue are the two ends of the upload notifications. */
  const notifications = () => ofType('Custom::S3BucketNotifications')[0]![1];
  const mediaBucketId = () => (notifications().Properties!.BucketName as { Ref: string }).Ref;
  const ingestQueueId = () => {
    const configurations = (notifications().Properties!.NotificationConfiguration as { QueueConfigurations: { QueueArn: GetAtt }[] })
      .QueueConfigurations;
    return configurations[0]!.QueueArn['Fn::GetAtt'][0];
  };
  /** The index queue: the one FIFO queue with a dead-letter queue. */
  const indexQueueId = () => {
    const queues = ofType('AWS::SQS::Queue').filter(([, queue]) => queue.Properties?.FifoQueue === true && queue.Properties.RedrivePolicy);
    expect(queues).toHaveLength(1);
    return queues[0]![0];
  };
  const reconcileFunctionId = () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    return (rules[0]![1].Properties!.Targets as { Arn: GetAtt }[])[0]!.Arn['Fn::GetAtt'][0];
  };

  describe('reconciliation', () => {
    it(`runs the sweep every ${reconcile.scheduleMinutes} minutes on a function sized from config`, () => {
      const [, rule] = ofType('AWS::Events::Rule')[0]!;
      const expression = Schedule.rate(Duration.minutes(reconcile.scheduleMinutes)).expressionString;
      expect(rule.Properties).toMatchObject({ ScheduleExpression: expression, State: 'ENABLED' });
      const properties = resources[reconcileFunctionId()]!.Properties!;
      expect(properties).toMatchObject({ Timeout: reconcile.timeoutSeconds, MemorySize: reconcile.memoryMb, Runtime: 'nodejs22.x' });
      expect(properties.Environment).toEqual({
        Variables: {
          [lambdaEnvNames.mediaBucket]: { Ref: mediaBucketId() },
          [lambdaEnvNames.ingestQueueUrl]: { Ref: ingestQueueId() },
          [lambdaEnvNames.indexQueueUrl]: { Ref: indexQueueId() },
        },
      });
    });

    it('may only list and read the bucket (uploads, errors, sources, manifests, vectors, the index) and send to the ingest and index queues', () => {
      const statements = statementsOf(roleOf(reconcileFunctionId())).filter((statement) => statement.Effect === 'Allow');
      const actions = statements.flatMap((statement) => asArray(statement.Action));
      expect(actions.filter((action) => action.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      const objectPatterns = statements
        .filter((statement) => asArray(statement.Action).includes('s3:GetObject'))
        .flatMap((statement) => asArray(statement.Resource))
        .map((resource) => ((resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][1] as string).slice(1));
      expect(objectPatterns.sort()).toEqual(
        [
          `${prefixes.errors}*`,
          `${prefixes.items}*/manifest.json`,
          `${prefixes.items}*/embeddings/*`,
          `${prefixes.sources}*`,
          `${prefixes.uploads}*`,
          `${pipelineConfig.vq.prefix}*`,
        ].sort(),
      );
      const sends = statements.filter((statement) => asArray(statement.Action).includes('sqs:SendMessage'));
      expect(sends.flatMap((statement) => asArray(statement.Resource))).toEqual(
        expect.arrayContaining([{ 'Fn::GetAtt': [ingestQueueId(), 'Arn'] }, { 'Fn::GetAtt': [indexQueueId(), 'Arn'] }]),
      );
      expect(sends.flatMap((statement) => asArray(statement.Resource))).toHaveLength(2);
      expect(actions.filter((action) => !action.startsWith('s3:') && !action.startsWith('sqs:') && !action.startsWith('logs:'))).toEqual(
        [],
      );
    });
  });

  it('never sets the fault switch on any function', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(Object.keys(variables), id).not.toContain(lambdaEnvNames.faultPlan);
    }
  });

  it('gives each of our functions a role of its own with no managed policy, writing only to its own log group', () => {
    const ours = ofType('AWS::Lambda::Function').filter(([, fn]) =>
      JSON.stringify(fn.Properties?.Environment ?? {}).includes(lambdaEnvNames.mediaBucket),
    );
    expect(ours.length).toBeGreaterThanOrEqual(5);
    const roles = new Set(ours.map(([id]) => roleOf(id)));
    expect(roles.size).toBe(ours.length);
    for (const [id, fn] of ours) {
      const role = resources[roleOf(id)]!;
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
      const logGroupId = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logStatements = statementsOf(roleOf(id)).filter((statement) =>
        asArray(statement.Action).some((action) => action.startsWith('logs:')),
      );
      expect(
        logStatements.flatMap((statement) => asArray(statement.Resource)),
        id,
      ).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);
    }
  });

  describe('access logs', () => {
    const accessLogsBucketId = () => {
      const logging = resources[mediaBucketId()]!.Properties!.LoggingConfiguration as { DestinationBucketName: { Ref: string } };
      return logging.DestinationBucketName.Ref;
    };

    it('logs every access to the media and site buckets, and CloudFront requests, each under its own prefix', () => {
      const buckets = ofType('AWS::S3::Bucket').filter(([id]) => id !== accessLogsBucketId());
      expect(buckets).toHaveLength(2);
      const prefixesUsed = buckets.map(([, bucket]) => {
        const logging = bucket.Properties!.LoggingConfiguration as { DestinationBucketName: { Ref: string }; LogFilePrefix: string };
        expect(logging.DestinationBucketName).toEqual({ Ref: accessLogsBucketId() });
        return logging.LogFilePrefix;
      });
      expect(prefixesUsed.sort()).toEqual([accessLogPrefixes.mediaBucket, accessLogPrefixes.siteBucket].sort());
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Logging: { Bucket: { 'Fn::GetAtt': [accessLogsBucketId(), 'RegionalDomainName'] }, Prefix: accessLogPrefixes.distribution },
        }),
      });
    });

    it('keeps the logs private, encrypted, owned by the account, expiring, and kept when the stack goes', () => {
      const bucket = resources[accessLogsBucketId()]!;
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: expect.any(Number), Status: 'Enabled' })] },
      });
    });
  });
});
