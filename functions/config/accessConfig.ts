/**
 * Who may see what (docs/reliability.md, "Security posture"): the owner signs
 * in with an OpenID Connect provider and gets CloudFront signed cookies for
 * the whole site; a share link carries signed cookies for one item's files.
 * CloudFront checks them on items/* and /api/* (a trusted key group), the
 * local server checks the same cookies the same way.
 */
export const accessConfig = {
  /** URL path of the sign-in flow, served by the auth function without cookies (CloudFront behaviour, local server). */
  routePrefix: '/auth/',
  /**
   * Lifetime of the cookies a sign-in issues. Signed cookies cannot be revoked one
   * by one, so they are short; rotating the signing key revokes everyone at once.
   */
  sessionSeconds: 12 * 60 * 60,
  /** How long a sign-in may take between leaving for the provider and coming back (its state, nonce and PKCE cookie). */
  signInSeconds: 10 * 60,
  /** A share link lasts this long unless told otherwise, never less than minShareSeconds nor longer than maxShareSeconds. */
  defaultShareSeconds: 7 * 24 * 60 * 60,
  minShareSeconds: 60,
  maxShareSeconds: 30 * 24 * 60 * 60,
  /** The CLI signs its own API calls for this long. */
  cliSessionSeconds: 5 * 60,
  /** What the sign-in asks the provider for: the e-mail address is what an allow-list names. */
  scopes: ['openid', 'email'],
  /** The cookie that carries one sign-in's state, nonce, PKCE verifier and return path (Path=/auth/). */
  signInCookie: 'xr-sign-in',
  /** RSA key size of the CloudFront signing key (CloudFront accepts 2048-bit RSA). */
  signingKeyBits: 2048,
  authFunction: { memoryMb: 256, timeoutSeconds: 10 },
  /** Local mode with `--sign-in`: the OpenID provider it starts, and the one user it knows. */
  local: {
    providerPort: 8090,
    ownerEmail: 'owner@localhost',
    clientId: 'xr-media-local',
    /** Under the data directory: the local signing key, made on first use. */
    keyFile: 'auth/cloudfront-signing-key.pem',
    keyPairId: 'LOCALSIGNINGKEY',
  },
} as const;

/**
 * What the auth function reads from its settings parameter at cold start. In
 * a parameter, not the environment, because the app client's callback URL
 * names the distribution, which routes to the function: environment variables
 * would make a cycle.
 */
export interface AccessSettings {
  clientId: string;
  /** https://<distribution domain>, no trailing slash: signed-cookie policies and redirect URIs are built on it. */
  siteOrigin: string;
  /** The provider's own sign-out page (Cognito's /logout?client_id=…&logout_uri=…), if it has one. */
  providerLogoutUrl?: string;
}
