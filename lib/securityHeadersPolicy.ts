import type { Duration } from 'aws-cdk-lib';
import { HeadersFrameOption, HeadersReferrerPolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/**
 * The viewer is a three.js app whose scripts, styles, previews and API all come
 * from this one origin. Textures and video may be handed to three.js as blob:
 * or data: URLs, and loaders may start workers from blobs; 'unsafe-inline'
 * styles admit style attributes and <style> elements that libraries insert.
 * Everything else, including inline scripts and framing, is refused.
 */
export const viewerContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecurityHeadersPolicyProps {
  /** How long browsers remember to use HTTPS only (HSTS max-age). */
  hstsMaxAge: Duration;
}

/** Security headers on every response of the distribution, overriding whatever an origin sent. */
export class SecurityHeadersPolicy extends ResponseHeadersPolicy {
  constructor(scope: Construct, id: string, props: SecurityHeadersPolicyProps) {
    super(scope, id, {
      comment: 'XR media pipeline viewer: HSTS, nosniff, no framing, CSP for a same-origin three.js app',
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
