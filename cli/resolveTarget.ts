import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineConfig, queueStageList } from '../functions/config/index.js';
import { createS3Client, createSqsClient, S3ObjectStore, type QueuePair } from '../functions/adapters/store/index.js';
import { queueOutputKeys, stackOutputKeys } from '../lib/stackOutputs.js';
import { NotFoundError } from './errors.js';
import type { SigningKeySource } from './pipelineSigner.js';

/** Where the CLI works: the bucket, the queues and the viewer of one pipeline. */
export interface PipelineTarget {
  mode: 'local' | 'stack';
  description: string;
  s3: S3Client;
  sqs: SQSClient;
  store: S3ObjectStore;
  bucket: string;
  /** The region of the bucket and queues (named in the S3 events reconciliation sends). */
  region: string;
  /** Ends with '/'. */
  viewerUrl: string;
  /** The HTTP API (same origin as the viewer); ends with '/'. */
  apiUrl: string;
  /** Every work queue with its dead-letter queue. */
  queues(): Promise<QueuePair[]>;
  /** Where the key that signs this pipeline's cookies and share links is kept. */
  signingKey: SigningKeySource;
  /** Said when nothing answers. */
  unreachableHint: string;
  close(): void;
}

/** The local mode's endpoints: `npm start` listens on the config's ports unless told otherwise. */
export interface LocalEndpoints {
  s3: string;
  sqs: string;
  viewer: string;
  /** The local mode's data directory, where its signing key is. */
  dataDir: string;
}

export function defaultLocalEndpoints(): LocalEndpoints {
  const { local } = pipelineConfig;
  return {
    s3: `http://127.0.0.1:${local.s3Port}`,
    sqs: `http://127.0.0.1:${local.sqsPort}`,
    viewer: `http://127.0.0.1:${local.httpPort}/`,
    dataDir: local.dataDir,
  };
}

/** The local mode (`npm start`), found at its endpoints. */
export function localTarget(endpoints: LocalEndpoints): PipelineTarget {
  const { local } = pipelineConfig;
  const credentials = { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey };
  const s3 = createS3Client({ region: local.region, endpoint: endpoints.s3, credentials });
  const sqs = createSqsClient({ region: local.region, endpoint: endpoints.sqs, credentials });
  const viewerUrl = withSlash(endpoints.viewer);
  return {
    mode: 'local',
    description: `local mode (S3 ${endpoints.s3}, SQS ${endpoints.sqs}, viewer ${viewerUrl})`,
    s3,
    sqs,
    store: new S3ObjectStore(s3, local.mediaBucket),
    bucket: local.mediaBucket,
    region: local.region,
    viewerUrl,
    apiUrl: apiUrlOf(viewerUrl),
    async queues() {
      const urlOf = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
      return Promise.all(
        queueStageList.map(async ({ name, queue }) => ({
          name,
          url: await urlOf(queue.localName),
          deadLetterUrl: await urlOf(queue.localDeadLetterName),
        })),
      );
    },
    signingKey: { kind: 'local', dataDir: endpoints.dataDir },
    unreachableHint: 'is `npm start` running? (a local mode on other ports: --s3-endpoint, --sqs-endpoint, --viewer-url)',
    close() {
      s3.destroy();
      sqs.destroy();
    },
  };
}

/**
 * A deployed stack, found by name through its CloudFormation outputs
 * (credentials and region as the AWS CLI finds them). `endpoint`: an
 * AWS-compatible endpoint serving CloudFormation, S3 and SQS (LocalStack, moto_server).
 */
export async function stackTarget(stackName: string, endpoint?: string): Promise<PipelineTarget> {
  const cloudFormation = new CloudFormationClient({ endpoint });
  let outputs: Map<string, string>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationError')
      throw new NotFoundError(`no stack ${stackName} in this account and region (${String((error as Error).message)})`);
    throw error;
  } finally {
    cloudFormation.destroy();
  }
  const bucket = outputs.get(stackOutputKeys.mediaBucketName);
  const viewer = outputs.get(stackOutputKeys.viewerUrl);
  if (!bucket || !viewer) {
    throw new NotFoundError(
      `stack ${stackName} has no ${stackOutputKeys.mediaBucketName}/${stackOutputKeys.viewerUrl} outputs; is it this pipeline's stack?`,
    );
  }
  const s3 = createS3Client({ endpoint });
  const sqs = createSqsClient({ endpoint });
  const viewerUrl = withSlash(viewer);
  // A stage the stack predates has no outputs: it is left out rather than guessed.
  const queues: QueuePair[] = queueStageList.flatMap(({ name }) => {
    const keys = queueOutputKeys(name);
    const [url, deadLetterUrl] = [outputs.get(keys.work), outputs.get(keys.deadLetter)];
    return url && deadLetterUrl ? [{ name, url, deadLetterUrl }] : [];
  });
  return {
    mode: 'stack',
    description: `stack ${stackName}${endpoint ? ` at ${endpoint}` : ''} (bucket ${bucket}, viewer ${viewerUrl})`,
    s3,
    sqs,
    store: new S3ObjectStore(s3, bucket),
    bucket,
    region: await sqs.config.region(),
    viewerUrl,
    apiUrl: apiUrlOf(viewerUrl),
    queues: async () => queues,
    signingKey: {
      kind: 'stack',
      stackName,
      ...definedOutput('secretArn', outputs.get(stackOutputKeys.signingKeySecretArn)),
      ...definedOutput('keyPairId', outputs.get(stackOutputKeys.signingKeyPairId)),
      ...(endpoint ? { endpoint } : {}),
    },
    unreachableHint: 'check your AWS credentials and region (AWS_PROFILE, AWS_REGION)',
    close() {
      s3.destroy();
      sqs.destroy();
    },
  };
}

const definedOutput = <Name extends string>(name: Name, value: string | undefined) =>
  (value ? { [name]: value } : {}) as Partial<Record<Name, string>>;
const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
const apiUrlOf = (viewerUrl: string) => new URL(pipelineConfig.api.routePrefix, viewerUrl).toString();
