import type { Duration } from 'aws-cdk-lib';
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { viewerContentSecurityPolicy } from './viewerContentSecurityPolicy.js';

export interface SecurityHeadersPolicyProps {
  /** How long browsers remember to use HTTPS only (HSTS max-age). */
  hstsMaxAge: Duration;
}

/** Security headers on every response of the distribution, overriding whatever an origin sent. */
export class SecurityHeadersPolicy extends ResponseHeadersPolicy {
  constructor(scope: Construct, id: string, props: SecurityHeadersPolicyProps) {
    super(scope, id, {
      comment: 'XR media pipeline viewer: HSTS, nosniff, no framing, a same-origin-only CSP (lib/viewerContentSecurityPolicy.ts)',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: props.hstsMaxAge, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: viewerContentSecurityPolicy, override: true },
      },
    });
  }
}
