import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { pipelineConfig } from '../functions/config/index.js';

export interface LocalOpenIdProvider {
  issuer: string;
  clientId: string;
  /** Its RP-initiated logout, coming back to the site's signed-out page. */
  logoutUrl: string;
  stop(): Promise<void>;
}

/**
 * An OpenID provider on this machine (panva's oidc-provider) standing in for
 * Cognito's hosted sign-in: its development login form takes any name and
 * password and signs that name in, with the name as the e-mail address; the
 * allow-list decides who gets cookies. One public client, PKCE required.
 */
export async function startLocalOpenIdProvider(options: {
  port: number;
  redirectUri: string;
  postLogoutUri: string;
  /** A confidential client, as providers like Google register a web app; default a public one (PKCE only). */
  clientSecret?: string;
}): Promise<LocalOpenIdProvider> {
  const { clientId } = pipelineConfig.access.local;
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        ...(options.clientSecret === undefined
          ? { token_endpoint_auth_method: 'none' }
          : { token_endpoint_auth_method: 'client_secret_post', client_secret: options.clientSecret }),
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { required: () => true },
    // A signing key per start: ID tokens live only as long as one sign-in.
    jwks: {
      keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }],
    },
    ttl: {
      Interaction: pipelineConfig.access.signInSeconds,
      AccessToken: pipelineConfig.access.signInSeconds,
      IdToken: pipelineConfig.access.signInSeconds,
      Session: pipelineConfig.access.sessionSeconds,
      Grant: pipelineConfig.access.sessionSeconds,
    },
    // The e-mail claims in the ID token itself, as Cognito puts them there.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_context: KoaContextWithOIDC, accountId: string) => ({
      accountId,
      claims: () => ({ sub: accountId, email: accountId, email_verified: true }),
    }),
    features: {
      // Signing out of the site signs out of the provider too, without a second question (Cognito's /logout asks none).
      rpInitiatedLogout: {
        logoutSource: (context: KoaContextWithOIDC, form: string) => {
          const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
          context.body = `<!doctype html><html><body>${confirmed}<noscript><button form="op.logoutForm">Sign out</button></noscript><script>document.forms[0].submit()</script></body></html>`;
          return Promise.resolve();
        },
      },
    },
    // A first-party client: no consent screen, as the stack's own Cognito app client has none.
    loadExistingGrant: async (context: KoaContextWithOIDC) => {
      const session = context.oidc.session;
      const client = context.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grant = new context.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(pipelineConfig.access.scopes.join(' '));
      grant.addOIDCClaims(['email', 'email_verified']);
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (request, response) => void handle(request, response));
  return {
    issuer,
    clientId,
    logoutUrl: `${issuer}/session/end?${new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: options.postLogoutUri })}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
