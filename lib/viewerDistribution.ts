import { Duration } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  HttpVersion,
  type IKeyGroup,
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
  /** The sign-in function (functions/handlers/auth.ts), open to all: it hands out the signed cookies. */
  authFunctionUrl: IFunctionUrl;
  /** URL path prefix routed to the auth function, e.g. '/auth/'. */
  authRoutePrefix: string;
  /** items/* and the API serve only requests with cookies or a URL signed by a key of this group; the viewer bundle and sign-in stay open. */
  trustedKeyGroup: IKeyGroup;
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
 * previews from the media bucket, the API and the sign-in from their function
 * URLs. Every origin is private and reached only through origin access control;
 * previews and the API need CloudFront signed cookies (or a signed URL), which
 * only the sign-in and a share link hand out.
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
    /** A function behind its IAM-authenticated URL: every method, never cached, every viewer header (cookies too) and query string. */
    const functionUrlBehavior = (url: IFunctionUrl): BehaviorOptions => ({
      origin: FunctionUrlOrigin.withOriginAccessControl(url),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // The function URL must see its own Host header to accept the signed request.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
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
          trustedKeyGroups: [props.trustedKeyGroup],
        },
        [`${props.apiRoutePrefix}*`]: { ...functionUrlBehavior(props.apiFunctionUrl), trustedKeyGroups: [props.trustedKeyGroup] },
        // The sign-in itself: reached without cookies, it is what hands them out.
        [`${props.authRoutePrefix}*`]: functionUrlBehavior(props.authFunctionUrl),
      },
    });
    acknowledgeFindings(
      this,
      "The viewer is each user's own gallery, opened wherever they are: there is no country to allow or deny. A deployment with a legal reason to restrict countries sets geoRestriction here.",
      'AwsSolutions-CFR1',
    );
    acknowledgeFindings(
      this,
      'Every origin is private behind origin access control, and items/* and the API answer only signed requests. The two dynamic origins validate their input: the API bounds every parameter and body ' +
        '(with reserved concurrency as an opt-in ceiling on what a flood can cost), and the auth function answers a handful of sign-in routes. ' +
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
