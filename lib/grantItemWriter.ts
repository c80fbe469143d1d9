import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * What a function that turns uploads into items may do on the media bucket:
 * read uploads; read, write and delete items/, errors/ and sources/. The
 * bucket-level List (from grantRead) lets it list items/<id>/sources/ and tells
 * a missing upload (404) from a forbidden one.
 */
export function grantItemWriter(bucket: IBucket, grantee: IGrantable, prefixes: { uploads: string; owned: readonly string[] }): void {
  bucket.grantRead(grantee, `${prefixes.uploads}*`);
  for (const owned of prefixes.owned) {
    // Not grantReadWrite: that also attaches the put and delete actions to the bucket ARN.
    bucket.grantRead(grantee, `${owned}*`);
    bucket.grantPut(grantee, `${owned}*`);
    bucket.grantDelete(grantee, `${owned}*`);
  }
}
