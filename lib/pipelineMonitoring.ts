import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { pipelineConfig } from '../functions/config/index.js';
import { errorReasonDimension, metricNames, serviceDimension } from '../functions/adapters/observability/index.js';
import { acknowledgeFindings } from './nagFindings.js';
import type { QueueWorker } from './queueWorker.js';

interface MonitoredFunction {
  /** The function's Powertools service name (its metrics' `service` dimension): ingest, video, indexer, api, reconcile. */
  service: string;
  function: IFunction;
}

export interface PipelineMonitoringProps {
  /** Every stage's queues and function, in stage-table order. */
  workers: readonly QueueWorker[];
  /** The functions no queue feeds (the API, the scheduled sweep, the sign-in). */
  functions: MonitoredFunction[];
  /** Said in every alarm's description: how to look, with the CLI. */
  stackName: string;
}

/**
 * What tells an operator the pipeline needs them: an alarm on every
 * dead-letter queue holding anything, and on every work queue whose oldest
 * message is older than config says it should ever be, all sent to one SNS
 * topic to subscribe to; and a dashboard of queues, outcomes and functions.
 */
export class PipelineMonitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    const { monitoring } = pipelineConfig;
    const period = Duration.minutes(monitoring.alarmPeriodMinutes);
    const cli = `npm run cli -- --stack ${props.stackName}`;

    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: `${props.stackName} alarms`, enforceSSL: true });
    acknowledgeFindings(
      this.alarmTopic,
      'Alarm notifications carry alarm names and states, no user data; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would cost more than the alarms.',
      'AwsSolutions-SNS2',
    );
    const notify = new SnsAction(this.alarmTopic);

    for (const { stage, queue, deadLetterQueue } of props.workers) {
      const { name } = stage;
      const deadLetters = new Alarm(this, `${capitalise(name)}DeadLettersAlarm`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: uploads that failed every retry. See why with \`${cli} redrive --dry-run ${name}\`; after fixing the cause, \`${cli} redrive ${name}\`.`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // An idle queue publishes no data points: nothing is wrong then.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const ageMinutes = stage.oldestMessageAlarmMinutes;
      const oldestMessage = new Alarm(this, `${capitalise(name)}OldestMessageAlarm`, {
        alarmDescription: `The ${name} queue's oldest message has waited over ${ageMinutes} minutes: its function is failing, throttled or falling behind. Look with \`${cli} status\` and the ${name} function's logs.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: ageMinutes * 60,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      for (const alarm of [deadLetters, oldestMessage]) {
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
        this.alarms.push(alarm);
      }
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      ...queueWidgets(props.workers, period),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 6, height: 6 }),
    );
    this.dashboard.addWidgets(...outcomeWidgets(period));
    const workerFunctions = props.workers.map((worker) => ({ service: worker.stage.service, function: worker.function }));
    this.dashboard.addWidgets(...functionWidgets([...workerFunctions, ...props.functions], period));
  }

  /** The dashboard in the CloudWatch console. */
  get dashboardUrl(): string {
    const { region } = Stack.of(this);
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}

function queueWidgets(workers: readonly QueueWorker[], period: Duration): IWidget[] {
  const size = { width: 6, height: 6 };
  return [
    new GraphWidget({
      title: 'Messages waiting',
      left: workers.map(({ stage, queue }) =>
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: stage.name }),
      ),
      ...size,
    }),
    new GraphWidget({
      title: 'Oldest message age (s)',
      left: workers.map(({ stage, queue }) =>
        queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: stage.name }),
      ),
      ...size,
    }),
    new GraphWidget({
      title: 'Dead letters',
      left: workers.map(({ stage, deadLetterQueue }) =>
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: stage.name }),
      ),
      ...size,
    }),
  ];
}

/** The functions' own metrics (functions/adapters/observability), by the service that published them. */
function outcomeWidgets(period: Duration): IWidget[] {
  const namespace = pipelineConfig.monitoring.metricsNamespace;
  const uploadServices = ['ingest', 'video'];
  const metric = (metricName: string, service: string, statistic: string) =>
    new Metric({
      namespace,
      metricName,
      dimensionsMap: { [serviceDimension]: service },
      statistic,
      period,
      label: `${service} ${statistic}`,
    });
  const size = { width: 6, height: 6 };
  return [
    new GraphWidget({
      title: 'Items processed',
      left: uploadServices.map((service) => metric(metricNames.itemsProcessed, service, 'Sum')),
      ...size,
    }),
    new GraphWidget({
      title: 'Errors by reason',
      left: [
        new MathExpression({
          expression: `SEARCH('{${namespace},${serviceDimension},${errorReasonDimension}} MetricName="${metricNames.errors}"', 'Sum', ${period.toSeconds()})`,
          label: '',
          period,
        }),
      ],
      ...size,
    }),
    new GraphWidget({
      title: 'Processing time per upload (ms)',
      left: uploadServices.flatMap((service) => [
        metric(metricNames.processingMs, service, 'p50'),
        metric(metricNames.processingMs, service, 'p95'),
      ]),
      ...size,
    }),
    new TextWidget({
      markdown: [
        '### Operating it',
        '`npm run cli -- --stack <name> status` shows the queues and counts;',
        '`errors` lists rejected uploads and why; `redrive --dry-run` lists dead letters.',
      ].join('\n'),
      ...size,
    }),
  ];
}

function functionWidgets(functions: MonitoredFunction[], period: Duration): IWidget[] {
  const size = { width: 8, height: 6 };
  return [
    new GraphWidget({
      title: 'Function errors',
      left: functions.map((entry) => entry.function.metricErrors({ period, label: entry.service })),
      ...size,
    }),
    new GraphWidget({
      title: 'Function throttles',
      left: functions.map((entry) => entry.function.metricThrottles({ period, label: entry.service })),
      ...size,
    }),
    new GraphWidget({
      title: 'Function duration p95 (ms)',
      left: functions.map((entry) => entry.function.metricDuration({ period, statistic: 'p95', label: entry.service })),
      ...size,
    }),
  ];
}

const capitalise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
