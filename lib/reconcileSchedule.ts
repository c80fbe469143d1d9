import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pipelineConfig, queueStages } from '../functions/config/index.js';
import { grantPrefixAccess } from './grantPrefixAccess.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';

export interface ReconcileScheduleProps {
  mediaBucket: IBucket;
  /** Where uploads without an outcome are announced again. */
  ingestQueue: IQueue;
  /** Where ready items missing from the index are announced again. */
  indexQueue: IQueue;
  environment: Record<string, string>;
  logRetention: RetentionDays;
}

/**
 * Reconciliation on AWS: an EventBridge schedule runs a small function that
 * lists uploads, and announces again (a synthetic S3 event on the ingest
 * queue) each one whose current version has neither a complete item nor an
 * error record, so a lost notification loses nothing; then announces again,
 * on the index queue, ready items the configured embedder's index lacks. It
 * only reads the bucket, and may only send to those two queues.
 */
export class ReconcileSchedule extends Construct {
  readonly function: PipelineFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ReconcileScheduleProps) {
    super(scope, id);
    const { reconcile, prefixes } = pipelineConfig;
    this.function = new PipelineFunction(this, 'Function', {
      entry: repoPaths.handler('reconcile'),
      description: 'Re-announces uploads that have neither an item nor an error record (a lost S3 event)',
      memoryMb: reconcile.memoryMb,
      timeoutSeconds: reconcile.timeoutSeconds,
      environment: {
        ...props.environment,
        [queueStages.ingest.queue.urlEnv]: props.ingestQueue.queueUrl,
        [queueStages.index.queue.urlEnv]: props.indexQueue.queueUrl,
      },
      logRetention: props.logRetention,
      // It shares functions/stages/ingest with the ingest function, which loads sharp.
      nodeModules: ['sharp'],
    });
    grantPrefixAccess(props.mediaBucket, this.function, {
      read: [
        `${prefixes.uploads}*`,
        `${prefixes.errors}*`,
        `${prefixes.sources}*`,
        `${prefixes.items}*/manifest.json`,
        `${prefixes.items}*/embeddings/*`,
        `${pipelineConfig.vq.prefix}*`,
      ],
    });
    props.ingestQueue.grantSendMessages(this.function);
    props.indexQueue.grantSendMessages(this.function);

    this.rule = new Rule(this, 'Schedule', {
      description: 'Runs the reconciliation sweep',
      schedule: Schedule.rate(Duration.minutes(reconcile.scheduleMinutes)),
      // A sweep that fails, or cannot start within the hour, is simply run again by the next one.
      targets: [new LambdaFunction(this.function, { retryAttempts: 1, maxEventAge: Duration.hours(1) })],
    });
  }
}
