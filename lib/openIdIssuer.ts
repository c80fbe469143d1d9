/** Where the provider sends people back to on this site, after sign-in and after sign-out. */
export interface SiteRedirects {
  callbackUrl: string;
  signedOutUrl: string;
  /** signedOutUrl percent-encoded for a query string, built from its parts: a token cannot be encoded at synth time. */
  signedOutUrlEncoded: string;
}

/** The client the auth function is at a provider: its id, and the provider's own sign-out page if it has one. */
export interface OpenIdClient {
  clientId: string;
  providerLogoutUrl?: string;
}

/** An OpenID Connect provider as the auth function meets it. */
export interface OpenIdIssuer {
  /** The issuer URL the auth function discovers the provider from (ACCESS_ISSUER). */
  readonly issuerUrl: string;
  /** This site's client at the provider, registered for these redirects. */
  clientFor(redirects: SiteRedirects): OpenIdClient;
}

/**
 * A provider the stack does not make (`-c oidcIssuer=… -c oidcClientId=…`):
 * registering this site as a public client with the callback URL is the
 * deployer's step (docs/reliability.md), so there is nothing to build.
 */
export class ExternalOpenIdIssuer implements OpenIdIssuer {
  constructor(
    readonly issuerUrl: string,
    private readonly clientId: string,
  ) {}

  clientFor(): OpenIdClient {
    return { clientId: this.clientId };
  }
}
