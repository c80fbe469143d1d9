import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { pipelineConfig } from '../functions/config/index.js';
import { createS3Client } from '../functions/store/index.js';
import { stackOutputKeys } from '../lib/stackOutputs.js';

/** Where the CLI sends files and where the user can look at the result. */
export interface PipelineTarget {
  description: string;
  s3: S3Client;
  bucket: string;
  viewerUrl: string;
}

/** The local mode started by `npm start` (or one at a given endpoint). */
export function localTarget(endpoint?: string): PipelineTarget {
  const { local } = pipelineConfig;
  const s3Endpoint = endpoint ?? `http://127.0.0.1:${local.s3Port}`;
  return {
    description: `local mode (${s3Endpoint})`,
    s3: createS3Client({
      region: local.region,
      endpoint: s3Endpoint,
      credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey },
    }),
    bucket: local.mediaBucket,
    viewerUrl: `http://127.0.0.1:${local.httpPort}/`,
  };
}

/** A deployed stack, found by name through its CloudFormation outputs. */
export async function stackTarget(stackName: string): Promise<PipelineTarget> {
  const cloudFormation = new CloudFormationClient({});
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const bucket = outputs.get(stackOutputKeys.mediaBucketName);
  const viewerUrl = outputs.get(stackOutputKeys.viewerUrl);
  if (!bucket || !viewerUrl) {
    throw new Error(`stack ${stackName} has no ${stackOutputKeys.mediaBucketName}/${stackOutputKeys.viewerUrl} outputs; is it this pipeline's stack?`);
  }
  return { description: `stack ${stackName} (bucket ${bucket})`, s3: createS3Client(), bucket, viewerUrl: viewerUrl.endsWith('/') ? viewerUrl : `${viewerUrl}/` };
}
