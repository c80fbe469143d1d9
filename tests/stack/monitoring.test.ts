import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig } from '../../functions/config/index.js';
import { metricNames } from '../../functions/adapters/observability/index.js';
import { stackOutputKeys } from '../../lib/stackOutputs.js';
import { synthesizeStack, type CfnResource, type SynthesizedStack } from '../helpers/stackUnderTest.js';

type GetAtt = { 'Fn::GetAtt': [string, string] };
type Ref = { Ref: string };

const { monitoring, video } = pipelineConfig;
/** The log retention the stack sets on every function's log group (RetentionDays.ONE_MONTH). */
const logRetentionDays = 30;

describe('the stack: alarms, dashboard and function logs', () => {
  let template: Template;
  let resources: Record<string, CfnResource>;
  let ofType: SynthesizedStack['ofType'];

  beforeAll(() => ({ template, resources, ofType } = synthesizeStack()));
  const alarmTopicId = () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    return topics[0]![0];
  };
  /** Alarms on one SQS metric of one queue (by the queue's logical id). */
  const alarmsOn = (metricName: string, queueId: string) =>
    ofType('AWS::CloudWatch::Alarm')
      .map(([, alarm]) => alarm.Properties!)
      .filter((alarm) => alarm.Namespace === 'AWS/SQS' && alarm.MetricName === metricName)
      .filter(
        (alarm) =>
          JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]),
      );
  /** Every queue with a redrive policy, whatever adds it later: each must be watched. */
  const workQueues = () =>
    ofType('AWS::SQS::Queue')
      .filter(([, queue]) => queue.Properties!.RedrivePolicy !== undefined)
      .map(([id, queue]) => ({
        id,
        properties: queue.Properties!,
        deadLetterQueueId: (queue.Properties!.RedrivePolicy as { deadLetterTargetArn: GetAtt }).deadLetterTargetArn['Fn::GetAtt'][0],
      }));
  /** Which pipelineConfig.monitoring threshold applies: the FIFO queue is the index's, the long-visibility one the video's. */
  const configName = (queue: Record<string, unknown>): keyof typeof monitoring.oldestMessageAgeAlarmMinutes =>
    queue.FifoQueue === true ? 'index' : queue.VisibilityTimeout === video.visibilityTimeoutSeconds ? 'video' : 'ingest';

  it('alarms when any dead-letter queue holds a message, and notifies the alarm topic', () => {
    const queues = workQueues();
    expect(queues.map((queue) => configName(queue.properties)).sort()).toEqual(['index', 'ingest', 'video']);
    for (const queue of queues) {
      const alarms = alarmsOn('ApproximateNumberOfMessagesVisible', queue.deadLetterQueueId);
      expect(alarms, `dead-letter alarm of ${queue.id}`).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        Statistic: 'Maximum',
        Period: monitoring.alarmPeriodMinutes * 60,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: alarmTopicId() }],
        OKActions: [{ Ref: alarmTopicId() }],
      });
      expect(alarms[0]!.AlarmDescription).toContain('redrive --dry-run');
    }
  });

  it('alarms when a work queue’s oldest message is older than the configured age', () => {
    for (const queue of workQueues()) {
      const alarms = alarmsOn('ApproximateAgeOfOldestMessage', queue.id);
      expect(alarms, `age alarm of ${queue.id}`).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        Threshold: monitoring.oldestMessageAgeAlarmMinutes[configName(queue.properties)] * 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: alarmTopicId() }],
      });
      // The work queue itself never gets the dead-letter alarm, nor the dead-letter queue the age alarm.
      expect(alarmsOn('ApproximateAgeOfOldestMessage', queue.deadLetterQueueId)).toHaveLength(0);
    }
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(2 * workQueues().length);
  });

  it('only accepts TLS on the alarm topic, and outputs it and the dashboard URL', () => {
    const policies = ofType('AWS::SNS::TopicPolicy').filter(
      ([, policy]) => JSON.stringify(policy.Properties!.Topics) === JSON.stringify([{ Ref: alarmTopicId() }]),
    );
    expect(JSON.stringify(policies.map(([, policy]) => policy.Properties!.PolicyDocument))).toContain('"aws:SecureTransport":"false"');
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[stackOutputKeys.alarmTopicArn]!.Value).toEqual({ Ref: alarmTopicId() });
    expect(JSON.stringify(outputs[stackOutputKeys.dashboardUrl]!.Value)).toContain('#dashboards:name=');
  });

  it('writes every pipeline function’s logs as JSON to its own log group, kept 30 days and deleted with the stack', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([, fn]) =>
      JSON.stringify(fn.Properties!.Environment ?? {}).includes(lambdaEnvNames.mediaBucket),
    );
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const [id, fn] of functions) {
      const logging = fn.Properties!.LoggingConfig as {
        LogFormat: string;
        ApplicationLogLevel: string;
        SystemLogLevel: string;
        LogGroup: Ref;
      };
      expect(logging, id).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
      const logGroup = resources[logging.LogGroup.Ref]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties!.RetentionInDays, id).toBe(logRetentionDays);
      expect(logGroup.DeletionPolicy).toBe('Delete');
    }
  });

  it('has one dashboard with the queues, the functions’ metrics by service, and every pipeline function', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]![1].Properties!.DashboardBody);
    for (const name of [
      metricNames.itemsProcessed,
      metricNames.errors,
      metricNames.processingMs,
      monitoring.metricsNamespace,
      'ApproximateAgeOfOldestMessage',
    ])
      expect(body).toContain(name);
    for (const queue of workQueues()) {
      expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [queue.id, 'QueueName'] }).slice(1, -1));
      expect(body).toContain(JSON.stringify({ 'Fn::GetAtt': [queue.deadLetterQueueId, 'QueueName'] }).slice(1, -1));
    }
    const functions = ofType('AWS::Lambda::Function').filter(([, fn]) =>
      JSON.stringify(fn.Properties!.Environment ?? {}).includes(lambdaEnvNames.mediaBucket),
    );
    for (const [id] of functions) expect(body, id).toContain(JSON.stringify({ Ref: id }).slice(1, -1));
  });
});
