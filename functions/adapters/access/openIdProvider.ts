import * as oidc from 'openid-client';
import { pipelineConfig } from '../../config/index.js';
import type { SignInChallenge, SignInProvider } from '../../stages/access/index.js';

export interface OpenIdProviderOptions {
  issuer: string;
  clientId: string;
  /** For a provider that requires one of a web app (Google); without it the client is public and proves itself with PKCE alone. */
  clientSecret?: string;
  /** Only for a provider on this machine (the local mode's): openid-client refuses plain http otherwise. */
  allowHttp?: boolean;
}

/**
 * An OpenID Connect provider through openid-client: discovery once, then the
 * authorization code flow with PKCE (S256), state and nonce, as a public client;
 * the ID token's signature is verified against the provider's JWKS.
 */
export function openIdProvider(options: OpenIdProviderOptions): SignInProvider {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(options.issuer),
        options.clientId,
        undefined,
        options.clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(options.clientSecret),
        // ID tokens are checked against the provider's published keys too, not only trusted for arriving over TLS.
        { execute: options.allowHttp ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks] },
      )
      .catch((error: unknown) => {
        // A provider that was down at the first sign-in is asked again at the next.
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  return {
    async startSignIn(redirectUri) {
      const challenge: SignInChallenge = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: pipelineConfig.access.scopes.join(' '),
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(challenge.codeVerifier),
        code_challenge_method: 'S256',
        state: challenge.state,
        nonce: challenge.nonce,
      });
      return { url: url.href, challenge };
    },
    async finishSignIn(callbackUrl, challenge) {
      const tokens = await oidc.authorizationCodeGrant(await configuration(), callbackUrl, {
        pkceCodeVerifier: challenge.codeVerifier,
        expectedState: challenge.state,
        expectedNonce: challenge.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider returned no ID token');
      return {
        subject: claims.sub,
        ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
        ...(typeof claims.email_verified === 'boolean' ? { emailVerified: claims.email_verified } : {}),
      };
    },
  };
}
