import { Aws } from 'aws-cdk-lib';
import type { IOriginAccessControl, OriginBindConfig, OriginBindOptions } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface PrefixScopedS3OriginProps {
  originAccessControl: IOriginAccessControl;
  /** The only key prefix the distribution may read, ending in '/'. */
  readablePrefix: string;
}

/**
 * An S3 origin reached through origin access control, like
 * S3BucketOrigin.withOriginAccessControl, except that the bucket policy lets the
 * distribution read one prefix rather than every object: the media bucket also
 * holds users' original uploads, which are never served.
 */
export class PrefixScopedS3Origin extends S3BucketOrigin {
  private readonly mediaBucket: IBucket;
  private readonly props: PrefixScopedS3OriginProps;

  constructor(bucket: IBucket, props: PrefixScopedS3OriginProps) {
    super(bucket);
    this.mediaBucket = bucket;
    this.props = props;
  }

  override bind(scope: Construct, options: OriginBindOptions): OriginBindConfig {
    // Distribution always passes its id; without it the grant could not be scoped to this distribution.
    if (!options.distributionId) throw new Error('PrefixScopedS3Origin must be bound by a Distribution, which passes its id');
    this.mediaBucket.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.mediaBucket.arnForObjects(`${this.props.readablePrefix}*`)],
        conditions: {
          StringEquals: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${options.distributionId}` },
        },
      }),
    );
    const config = super.bind(scope, options);
    return {
      ...config,
      originProperty: config.originProperty && {
        ...config.originProperty,
        originAccessControlId: this.props.originAccessControl.originAccessControlId,
      },
    };
  }
}
