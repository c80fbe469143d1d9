import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { grantPrefixAccess } from './grantPrefixAccess.js';

/**
 * What a function that turns uploads into items may do on the media bucket:
 * read uploads; read, write and delete items/, errors/ and sources/; list the
 * bucket (items/<id>/sources/, and a missing key is a 404, not a 403).
 */
export function grantItemWriter(bucket: IBucket, grantee: IGrantable, prefixes: { uploads: string; owned: readonly string[] }): void {
  grantPrefixAccess(bucket, grantee, { read: [`${prefixes.uploads}*`], write: prefixes.owned.map((owned) => `${owned}*`) });
}
