import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginRequestPolicy,
  S3OriginAccessControl,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeFindings } from './nagFindings.js';
import { PrefixScopedS3Origin } from './prefixScopedS3Origin.js';
import { SecurityHeadersPolicy } from './securityHeadersPolicy.js';

export interface ViewerDistributionProps {
  siteBucket: IBucket;
  mediaBucket: IBucket;
  /** Media key prefix served as-is at /<prefix>… (previews and manifests). */
  itemsPrefix: string;
  apiFunctionUrl: IFunctionUrl;
  /** URL path prefix routed to the API function, e.g. '/api/'. */
  apiRoutePrefix: string;
  /** How long objects under items/ that carry no Cache-Control (manifests) stay cached at the edge. */
  itemsDefaultTtl: Duration;
  hstsMaxAge: Duration;
  /** Where standard access logs go (AccessLogsBucket, ACLs enabled as CloudFront requires), under their own prefix. */
  accessLogs: { bucket: IBucket; prefix: string };
}

/** Longest edge caching for items/ objects that say they are immutable (previews do). */
const itemsMaxTtl = Duration.days(365);

/**
 * One HTTPS origin for everything the viewer loads (WebXR needs a secure
 * context, and same-origin needs no CORS): the viewer from the site bucket,
 * previews from the media bucket, and the API from its function URL. Every
 * origin is private and reached only through origin access control.
 */
export class ViewerDistribution extends Distribution {
  constructor(scope: Construct, id: string, props: ViewerDistributionProps) {
    const securityHeaders = new SecurityHeadersPolicy(scope, `${id}SecurityHeaders`, { hstsMaxAge: props.hstsMaxAge });
    // Preview files are written with `immutable`; manifests change when an item is updated, so they fall back to a short default.
    const itemsCachePolicy = new CachePolicy(scope, `${id}ItemsCachePolicy`, {
      comment: 'items/: honour the origin Cache-Control, short default for objects without one',
      minTtl: Duration.seconds(0),
      defaultTtl: props.itemsDefaultTtl,
      maxTtl: itemsMaxTtl,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const mediaAccessControl = new S3OriginAccessControl(scope, `${id}MediaAccessControl`, {
      description: 'CloudFront reads items/ from the media bucket',
    });

    super(scope, id, {
      comment: 'XR media pipeline viewer',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultRootObject: 'index.html',
      enableLogging: true,
      logBucket: props.accessLogs.bucket,
      logFilePrefix: props.accessLogs.prefix,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: {
        [`${props.itemsPrefix}*`]: {
          origin: new PrefixScopedS3Origin(props.mediaBucket, {
            originAccessControl: mediaAccessControl,
            readablePrefix: props.itemsPrefix,
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: itemsCachePolicy,
          responseHeadersPolicy: securityHeaders,
        },
        [`${props.apiRoutePrefix}*`]: {
          origin: FunctionUrlOrigin.withOriginAccessControl(props.apiFunctionUrl),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The function URL must see its own Host header to accept the signed request.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
    });
    acknowledgeFindings(
      this,
      "The viewer is each user's own gallery, opened wherever they are: there is no country to allow or deny. A deployment with a legal reason to restrict countries sets geoRestriction here.",
      'AwsSolutions-CFR1',
    );
    acknowledgeFindings(
      this,
      'Every origin is private behind origin access control; the one dynamic origin, the API, validates and bounds every input and has reserved concurrency as a ceiling on what a flood can cost. ' +
        'A CloudFront web ACL must be made in us-east-1 and costs a monthly fee per deployment; set webAclId here where one is wanted.',
      'AwsSolutions-CFR2',
    );
    acknowledgeFindings(
      this,
      'The distribution serves on its default *.cloudfront.net certificate, for which CloudFront does not let the minimum TLS version be raised. ' +
        'With a custom domain and certificate, set minimumProtocolVersion to TLSv1.2_2021; browsers that run WebXR negotiate TLS 1.2 or 1.3 regardless.',
      'AwsSolutions-CFR4',
    );
  }
}
