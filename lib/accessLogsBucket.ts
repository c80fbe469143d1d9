import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeFindings } from './nagFindings.js';

export interface AccessLogsBucketProps {
  /** Log objects are deleted this long after they are written. */
  retention: Duration;
}

/** Key prefixes in the access logs bucket, one per source, so each can be read (or expired) apart. */
export const accessLogPrefixes = {
  mediaBucket: 'media-bucket/',
  siteBucket: 'site-bucket/',
  distribution: 'cloudfront/',
} as const;

/**
 * Where S3 server access logs (media and site buckets) and CloudFront standard
 * logs go: private, encrypted, TLS only, expiring. CloudFront's standard logs
 * are delivered with an ACL grant, so ACLs stay enabled with the bucket owner
 * owning every object; public ACLs are blocked all the same. Kept when the
 * stack is deleted: access logs are the record of who read what.
 */
export class AccessLogsBucket extends Bucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: props.retention }],
    });
    acknowledgeFindings(
      this,
      'This is the access logs bucket: logging its own accesses into itself would log each log delivery without end, and into another bucket would only move the question.',
      'AwsSolutions-S1',
    );
  }
}
