import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFindings, wildcardResourceFinding } from './nagFindings.js';

export interface PrefixAccess {
  /** Object key patterns the grantee may read (GetObject, which HeadObject needs too), e.g. 'uploads/*'. */
  read?: readonly string[];
  /** Patterns it may read, write and delete. */
  write?: readonly string[];
}

/**
 * Least privilege on one bucket: exact actions (s3:GetObject, never
 * s3:GetObject*), only the object patterns named, and s3:ListBucket on the
 * bucket, because the pipeline lists prefixes and S3 answers a missing key
 * with 404 rather than 403 only to a principal that may list.
 *
 * A pattern under a prefix is a wildcard by nature (keys are chosen by users
 * or by content hashes), so cdk-nag's IAM5 finding for each is acknowledged
 * here, on the grantee, with that reason; a wildcard action never is.
 */
export function grantPrefixAccess(bucket: IBucket, grantee: IGrantable, access: PrefixAccess): void {
  const readable = [...(access.read ?? []), ...(access.write ?? [])];
  const objectArns = (patterns: readonly string[]) => patterns.map((pattern) => bucket.arnForObjects(pattern));
  Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
  if (readable.length > 0) Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: objectArns(readable) });
  if (access.write?.length)
    Grant.addToPrincipal({ grantee, actions: ['s3:PutObject', 's3:DeleteObject'], resourceArns: objectArns(access.write) });

  const role = grantee.grantPrincipal;
  if (!Construct.isConstruct(role)) throw new Error('grantPrefixAccess needs a grantee whose principal is a construct (a role)');
  acknowledgeFindings(
    role,
    'Scoped to key prefixes of one bucket: the keys under them are chosen by users (uploads) or by content hashes (items), so a prefix wildcard is the narrowest grant that works. Actions are exact.',
    ...objectArns(readable).map((arn) => wildcardResourceFinding(role, arn)),
  );
}
