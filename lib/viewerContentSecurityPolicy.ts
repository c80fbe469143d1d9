/**
 * The viewer's Content-Security-Policy, as CloudFront sends it with every
 * response (SecurityHeadersPolicy) and as the browser tests apply it to the
 * local server's pages. No CDK import here, so the browser tests load it
 * without aws-cdk-lib: one copy for both.
 *
 * The viewer is a three.js app whose scripts, styles, previews, layers,
 * clips and API all come from this one origin: images are fetched and
 * decoded with createImageBitmap, video plays from same-origin URLs, and
 * styles are set through the CSSOM only (never as attributes or <style>).
 * So everything is 'self', nothing inline or eval'd, no workers, no
 * plugins, no framing.
 */
export const viewerContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "media-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
