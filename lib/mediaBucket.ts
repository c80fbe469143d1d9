import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface MediaBucketProps {
  /** Origins that may GET media cross-origin; the viewer itself is same-origin through CloudFront. */
  corsAllowedOrigins: readonly string[];
  /** Parts of multipart uploads that never completed (an interrupted `aws s3 cp`) are removed after this. */
  abortIncompleteUploadsAfter: Duration;
  /** Where S3 server access logs go (AccessLogsBucket), under their own prefix. */
  accessLogs: { bucket: IBucket; prefix: string };
}

/** Users' uploads and everything derived from them: private, encrypted, TLS only, and kept when the stack goes. */
export class MediaBucket extends Bucket {
  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs.bucket,
      serverAccessLogsPrefix: props.accessLogs.prefix,
      // User data: deleting the stack must not delete anyone's photos.
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [HttpMethods.GET, HttpMethods.HEAD],
          allowedOrigins: [...props.corsAllowedOrigins],
          allowedHeaders: ['*'],
        },
      ],
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: props.abortIncompleteUploadsAfter }],
    });
  }
}
