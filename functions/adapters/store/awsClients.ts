import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Where the clients point: AWS itself (no endpoint) or a local emulator. */
export interface AwsTarget {
  region?: string;
  /** e.g. http://127.0.0.1:4569 for an emulator; undefined for AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3Client(target: AwsTarget = {}): S3Client {
  return new S3Client({
    region: target.region,
    endpoint: target.endpoint,
    credentials: target.credentials,
    // Emulators answer on one host name; bucket-in-host addressing needs DNS they don't have.
    forcePathStyle: target.endpoint !== undefined,
    // A streamed upload (putFile) would otherwise go out aws-chunked with a trailing checksum, which
    // s3rver stores verbatim, framing and all. AWS itself keeps the SDK's default checksums.
    ...(target.endpoint === undefined ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED' as const }),
  });
}

export function createSqsClient(target: AwsTarget = {}): SQSClient {
  return new SQSClient({ region: target.region, endpoint: target.endpoint, credentials: target.credentials });
}
