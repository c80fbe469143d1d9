import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface IngestQueueProps {
  /** The consuming function's timeout: the visibility timeout must cover six of them. */
  consumerTimeoutSeconds: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  deadLetterRetentionDays: number;
  /** The pipelineConfig section the settings come from, named when they are wrong. Default 'ingest'. */
  configSection?: string;
}

export class VisibilityTimeoutTooShortError extends Error {
  constructor(visibilityTimeoutSeconds: number, consumerTimeoutSeconds: number, configSection = 'ingest') {
    super(
      `${configSection} queue visibility timeout ${visibilityTimeoutSeconds}s is less than 6x the function timeout ` +
        `(${consumerTimeoutSeconds}s); a message could reappear while it is still being processed. ` +
        `Raise ${configSection}.visibilityTimeoutSeconds in functions/config/pipelineConfig.ts.`,
    );
    this.name = 'VisibilityTimeoutTooShortError';
  }
}

/** AWS guidance for Lambda event source mappings on SQS. */
const minVisibilityToTimeoutRatio = 6;

/** A work queue (S3 events for ingest, jobs for video) and the dead-letter queue a message moves to after too many failed receives. */
export class IngestQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    if (props.visibilityTimeoutSeconds < minVisibilityToTimeoutRatio * props.consumerTimeoutSeconds) {
      throw new VisibilityTimeoutTooShortError(props.visibilityTimeoutSeconds, props.consumerTimeoutSeconds, props.configSection);
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(props.deadLetterRetentionDays),
    });

    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
